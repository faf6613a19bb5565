"""Widgets: controls wired to charts and tables, one module per lesson theme (enlargement, dilemma, record),
the glossary and claims views every lesson uses (reference), and what they share (base). Nothing here computes.
"""
