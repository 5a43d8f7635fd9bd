#pragma once
/// The fields a result list shows, stored per document in one value slot (schema::kSlotHit)
/// next to the full article JSON in the document data.
///
/// Why a second copy: a results page without snippets needs ~250 bytes per hit, but the
/// document data holds the whole article (7 KB for a 900-word body), and Xapian reads a
/// document's data in full: block reads plus a JSON decode per hit. Reading this slot costs
/// about a third of `get_data()` on the 10k benchmark index and needs no JSON parser (see
/// bench/README.md, "Hit summaries"). Like Lucene's doc values next to its stored fields.
///
/// Format (version 1): one version byte, then length-prefixed fields (LEB128 lengths):
/// id, title, url, source, date (YYYY-MM-DD or empty), lang, author count + authors,
/// topic count + topic ids. Decoding checks every length against the buffer.

#include "common/article.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gazette {

struct HitSummary {
    std::string id;
    std::string title;
    std::string url;
    std::string source;
    std::string date;
    std::string lang;
    std::vector<std::string> authors;
    std::vector<std::string> topics; ///< topic ids, in the article's order
};

/// Encodes the result-list fields of a normalised, classified article.
std::string encode_hit_summary(const Article& article);

/// Decodes what encode_hit_summary wrote. nullopt for an empty value (an index written before
/// the slot existed: callers fall back to the document data) or a damaged one.
std::optional<HitSummary> decode_hit_summary(std::string_view value);

} // namespace gazette
