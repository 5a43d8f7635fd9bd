# Sources of the serve daemon (owned by the serve work). Paths relative to indexer/.
target_sources(gazette_indexer_lib PRIVATE serve/pending_serve.cpp)
set(GAZETTE_SERVE_LIBS "")
