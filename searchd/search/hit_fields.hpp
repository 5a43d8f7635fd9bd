#pragma once
/// The result-list fields of a hit (id, title, url, source, authors, date, lang, topics), read
/// from a document the cheapest way available. One place for the field mapping, shared by
/// /search, /similar and export.

#include "common/article.hpp"
#include "common/hit_summary.hpp"
#include "searchd/search/types.hpp"

#include <xapian.h>

#include <optional>

namespace gazette::searchd {

/// The document's summary slot (common/hit_summary.hpp); nullopt for generations built before
/// the slot existed.
std::optional<HitSummary> stored_hit_summary(const Xapian::Document& doc);

/// A hit from a summary. The title is HTML-escaped, as in every Hit.
Hit hit_from_summary(HitSummary&& summary, double score);

/// A hit from a decoded article (when the body is needed anyway, or no summary is stored).
Hit hit_from_article(Article&& article, double score);

/// A hit from the summary slot, else from the stored article JSON (title HTML-escaped, no
/// snippet). A document whose data cannot be read gives a hit with only its score.
Hit hit_from_document(const Xapian::Document& doc, double score);

} // namespace gazette::searchd
