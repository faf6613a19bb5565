"""Charts: figures drawn from the models' results, in the projector style (style), redrawn fast behind a
control (redraw), one module per theme: enlargement, map, dilemma, record, negotiation.
"""
