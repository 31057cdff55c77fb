"""Answering engines: each turns a question and its passages into cited text (the Answerer protocol),
and the citation checks every answer passes."""
