"""Quizzes: questions read from YAML and marked (model), the card a student answers in (view), saved
answers that survive restarts and damage (progress), erasing them (reset), a student's export of them and the
class summary a teacher makes from a folder of exports (summary).
"""
from .progress import presenter_mode
from .reset import reset_answers

__all__ = ["presenter_mode", "reset_answers"]
