"""The article screen: review one article from the keyboard."""

from tui.screens.article.screen import ArticleScreen

__all__ = ["ArticleScreen"]
