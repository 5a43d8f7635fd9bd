#pragma once
/// Built-in stop-word lists (Snowball's lists, abridged to the most frequent function words).
/// Stop words are dropped from stemmed terms and from plain query words, but kept as exact
/// terms with positions so that quoted phrases such as "Power of Siberia" still match.

#include <string_view>
#include <vector>

namespace gazette {

/// Stop words for an ISO 639-1 code; empty for languages without a list.
const std::vector<std::string_view>& stopwords_for(std::string_view lang);

} // namespace gazette
