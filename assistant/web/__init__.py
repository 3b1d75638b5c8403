"""The gradio app: a shell over the assistant and its tools, one module per tab
(``ask``, ``library``, ``compare``, ``gap``, ``brief``, ``quiz``), assembled in ``app``."""
