"""The HTTP API: search, ask, and the documents of the knowledge base as JSON over HTTP
(``vigilance api``, or at /api of ``vigilance serve``); a shell over the same records as
the command line (``assistant.records``) and the app's library functions
(``assistant.web.uploads``), without gradio."""
