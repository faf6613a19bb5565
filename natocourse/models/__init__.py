"""Models: the course's computations, from tables in, to tables, numbers and sentences out (no drawing, no widgets).

enlargement (members per year, waves, distances), geo (outlines and distances), games and iterated (the
security dilemma as a game, played once and many times), richardson (the arms-race model), record (the
diplomatic record: filters, tallies, sentences), negotiation (the role-play: positions, rounds, the zone of
possible agreement).
"""
