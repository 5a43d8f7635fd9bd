#pragma once
/// Benchmark query sets sampled from a corpus: the same two-word queries for every benchmark
/// that compares searchd with bare Xapian (load, facets), so their figures are comparable.

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::bench {

/// Lower-cased ASCII words of `text`; a non-ASCII character leaves an empty word so that two
/// words around it are not taken as neighbours.
std::vector<std::string> words_of(std::string_view text);

/// A word worth querying: 4-14 letters and not a common function word.
bool content_word(const std::string& word);

/// `count` distinct queries of two nearby content words (at most 7 words apart) from the
/// `body` of random JSON Lines articles in `lines`. Fewer when the sample runs dry.
std::vector<std::string> two_word_queries(const std::vector<std::string>& lines, std::size_t count,
                                          std::mt19937_64& rng);

} // namespace gazette::bench
