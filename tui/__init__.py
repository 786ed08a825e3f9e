"""The Textual review app and the glossator command line."""
