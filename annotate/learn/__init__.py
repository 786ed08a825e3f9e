"""Learning from the annotators' gold: ``glossator train``, label memory, confidence, learning curve.

Nothing here is imported when the app opens: spaCy is loaded only by training and suggesting.
"""
