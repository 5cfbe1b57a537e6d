"""Use cases over the domain and the store. The caller (a request or a command) owns the transaction."""
