"""Quizzes: questions read from YAML and marked (model), the card a student answers in (view), and saved
answers that survive restarts and damage (progress).
"""
