#include "searchd/search/hit_fields.hpp"

#include "common/logging.hpp"
#include "common/schema.hpp"
#include "common/text.hpp"

namespace gazette::searchd {

std::optional<HitSummary> stored_hit_summary(const Xapian::Document& doc) {
    return decode_hit_summary(doc.get_value(schema::kSlotHit));
}

Hit hit_from_summary(HitSummary&& s, double score) {
    Hit hit;
    hit.score = score;
    hit.id = std::move(s.id);
    hit.title = text::html_escape(s.title);
    hit.url = std::move(s.url);
    hit.source = std::move(s.source);
    hit.authors = std::move(s.authors);
    hit.date = std::move(s.date);
    hit.lang = std::move(s.lang);
    hit.topics = std::move(s.topics);
    return hit;
}

Hit hit_from_article(Article&& a, double score) {
    Hit hit;
    hit.score = score;
    hit.id = std::move(a.id);
    hit.title = text::html_escape(a.title);
    hit.url = std::move(a.url);
    hit.source = std::move(a.source);
    hit.authors = std::move(a.authors);
    hit.date = std::move(a.date);
    hit.lang = std::move(a.lang);
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
