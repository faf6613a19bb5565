"""Widgets: controls wired to charts and tables, one module per lesson theme (enlargement, dilemma, record,
negotiation); the prediction widget (predict) and the glossary and claims views (reference) every lesson uses;
and what they share (base). Nothing here computes.
"""
