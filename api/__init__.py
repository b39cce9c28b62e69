"""srmatch adapters: the HTTP API, the web pages and the ``srmatch`` command line."""
