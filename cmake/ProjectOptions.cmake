# Warnings and sanitizers as INTERFACE targets that every gazette target links PRIVATE.
add_library(gazette_warnings INTERFACE)
target_compile_options(gazette_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${GAZETTE_WARNINGS_AS_ERRORS}>:-Werror>)
# -Wconversion is on for our code only; third-party headers are -isystem.
target_compile_options(gazette_warnings INTERFACE -Wconversion -Wno-sign-conversion)

add_library(gazette_options INTERFACE)
if(GAZETTE_SANITIZE)
  target_compile_options(gazette_options INTERFACE -fsanitize=${GAZETTE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(gazette_options INTERFACE -fsanitize=${GAZETTE_SANITIZE})
endif()
target_compile_definitions(gazette_options INTERFACE GAZETTE_VERSION="${PROJECT_VERSION}")
