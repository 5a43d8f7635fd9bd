#include "searchd/search/hit_fields.hpp"

#include "common/logging.hpp"
#include "common/schema.hpp"
#include "common/text.hpp"

namespace gazette::searchd {

std::optional<HitSummary> stored_hit_summary(const Xapian::Document& doc) {
    return decode_hit_summary(doc.get_value(schema::kSlotHit));
}

namespace {

/// The fields HitSummary and Article share, moved into a Hit (title HTML-escaped).
template <class Fields>
Hit hit_with_common_fields(Fields& f, double score) {
    Hit hit;
    hit.score = score;
    hit.id = std::move(f.id);
    hit.title = text::html_escape(f.title);
    hit.url = std::move(f.url);
    hit.source = std::move(f.source);
    hit.authors = std::move(f.authors);
    hit.date = std::move(f.date);
    hit.lang = std::move(f.lang);
    return hit;
}

} // namespace

Hit hit_from_summary(HitSummary&& s, double score) {
    Hit hit = hit_with_common_fields(s, score);
    hit.topics = std::move(s.topics);
    return hit;
}

Hit hit_from_article(Article&& a, double score) {
    Hit hit = hit_with_common_fields(a, score);
    hit.topics.reserve(a.topics.size());
    for (const auto& t : a.topics) {
        hit.topics.push_back(t.id);
    }
    return hit;
}

Hit hit_from_document(const Xapian::Document& doc, double score) {
    if (auto summary = stored_hit_summary(doc)) {
        return hit_from_summary(std::move(*summary), score);
    }
    auto article = article_from_stored_json(doc.get_data(), false);
    if (!article) {
        // Should never happen: the indexer wrote this data. Keep the hit, log the damage.
        logger("search")->error("docid {} has unreadable data: {}", doc.get_docid(), article.error().message);
        Hit hit;
        hit.score = score;
        return hit;
    }
    return hit_from_article(std::move(*article), score);
}

} // namespace gazette::searchd
