"""Corpus-wide review (issue 14, items 2 and 3): every occurrence of a surface in the other
articles (``occurrences``) and the surfaces labelled or linked differently across the corpus
(``consistency``). Plain objects and pure functions; the service part that reads and writes
them is ``annotate.service.corpuswide``."""
