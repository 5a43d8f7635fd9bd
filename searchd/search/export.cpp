#include "searchd/search/export.hpp"

#include "searchd/search/cursor.hpp"

#include "common/analyzer.hpp"
#include "common/article.hpp"
#include "common/data_dir.hpp"
#include "common/schema.hpp"
#include "searchd/search/coordination.hpp"
#include "searchd/search/generation_watcher.hpp"
#include "searchd/search/hit_fields.hpp"
#include "searchd/search/research_query.hpp"
#include "searchd/search/snippet.hpp"
#include "searchd/search/weighting.hpp"

#include <xapian.h>

#include <optional>

namespace gazette::searchd {
namespace {

/// The snippet generator's HTML back to plain text (exports are not HTML).
std::string plain_text(std::string_view html) {
    std::string out;
    out.reserve(html.size());
    for (std::size_t i = 0; i < html.size();) {
        if (html.compare(i, 6, "<mark>") == 0) {
            i += 6;
        } else if (html.compare(i, 7, "</mark>") == 0) {
            i += 7;
        } else if (html[i] == '&') {
            static constexpr std::pair<std::string_view, char> kEntities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
            bool done = false;
            for (const auto& [entity, c] : kEntities) {
                if (html.compare(i, entity.size(), entity) == 0) {
                    out += c;
                    i += entity.size();
                    done = true;
                    break;
                }
            }
            if (!done) {
                out += html[i++];
            }
        } else {
            out += html[i++];
        }
    }
    return out;
}

} // namespace

struct ExportCursor::Impl {
    std::string generation;
    Xapian::Database db;
    Xapian::Query ranked; ///< query with the coordination bonus, for relevance order
    Xapian::Query query;
    SortOrder sort = SortOrder::relevance;
    bool with_body = false;
    std::size_t snippet_chars = 0;
    std::optional<SnippetGenerator> snippets;
    std::uint64_t total = 0;
    std::uint64_t offset = 0;    ///< relevance order
    std::string last_date;       ///< date orders
    Xapian::docid last_docid = 0;
    bool started = false;
    bool finished = false;
};

ExportCursor::ExportCursor() : impl_(std::make_unique<Impl>()) {}
ExportCursor::~ExportCursor() = default;

const std::string& ExportCursor::generation() const noexcept { return impl_->generation; }
std::uint64_t ExportCursor::total() const noexcept { return impl_->total; }

Result<std::unique_ptr<ExportCursor>> ExportCursor::open(Searcher& searcher, const SearchRequest& request,
                                                         bool with_body) {
    std::unique_ptr<ExportCursor> cursor(new ExportCursor());
    Impl& im = *cursor->impl_;
    auto done = searcher.with_generation(request.generation, [&](const GenerationAccess& g) -> Result<void> {
        auto plan = research_plan(g, request);
        if (!plan) {
            return plan.error();
        }
        im.generation = g.name;
        // Its own Database: the worker's one is reopened between queries, this one never is.
        im.db = Xapian::Database(g.env.watcher->data_dir().generation_path(g.name).string());
        im.query = plan->filtered;
        const CoordinatedQuery coordinated =
            ranked_text(*plan, request, g.env.config->searchd.coordination_max_words, im.db.get_doccount());
        im.ranked = coordinated.bonus > 0 ? restrict_to_filters(*plan, coordinated.query) : plan->filtered;
        im.sort = request.sort;
        im.with_body = with_body;
        im.snippet_chars = request.snippet_chars;
        if (request.snippet_chars > 0) {
            const std::string lang = g.env.analyzer->query_language(request.q);
            im.snippets.emplace(SnippetGenerator::from_query(
                plan->text, SnippetGenerator::wildcard_roots(request.q), g.env.analyzer->stemmer(lang)));
        }
        return map_query_errors(g.env.config->limits, [&]() -> Result<void> {
            Xapian::Enquire e(im.db);
            e.set_query(im.query);
            e.set_weighting_scheme(Xapian::BoolWeight());
            const Xapian::MSet m = e.get_mset(0, 0, im.db.get_doccount());
            im.total = m.get_matches_estimated();
            return {};
        });
    });
    if (!done) {
        return done.error();
    }
    return cursor;
}

Result<std::vector<ExportRecord>> ExportCursor::next_batch(std::size_t n) {
    Impl& im = *impl_;
    std::vector<ExportRecord> out;
    if (im.finished) {
        return out;
    }
    Xapian::Enquire e(im.db);
    e.set_query(im.sort == SortOrder::relevance ? im.ranked : im.query);
    e.set_weighting_scheme(ranking_weight());
    Xapian::MSet mset;
    const auto count = static_cast<Xapian::doccount>(n);
    if (im.sort == SortOrder::relevance) {
        // check_at_least = all: no early termination, which coordination bonuses need
        // (coordination.hpp); an export visits every match anyway.
        mset = e.get_mset(static_cast<Xapian::doccount>(im.offset), count, im.db.get_doccount());
    } else {
        const bool desc = im.sort == SortOrder::date_desc;
        e.set_sort_by_value(schema::kSlotDate, desc);
        // Ties on the date go by docid ascending, as AfterKeyDecider expects.
        e.set_docid_order(Xapian::Enquire::ASCENDING);
        std::optional<AfterKeyDecider> after;
        if (im.started) {
            after.emplace(im.last_date, im.last_docid, desc);
        }
        mset = e.get_mset(0, count, 0, nullptr, after ? &*after : nullptr);
    }
    im.started = true;
    out.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        const Xapian::Document doc = it.get_document();
        ExportRecord r;
        // Exports carry the raw title (CSV and NDJSON are not HTML).
        std::optional<HitSummary> summary;
        if (!im.with_body && !im.snippets) {
            summary = stored_hit_summary(doc);
        }
        if (summary) {
            std::string title = summary->title;
            r.hit = hit_from_summary(std::move(*summary), it.get_weight());
            r.hit.title = std::move(title);
        } else if (auto article = article_from_stored_json(doc.get_data(), true)) {
            std::string body = std::move(article->body);
            std::string title = article->title;
            r.hit = hit_from_article(std::move(*article), it.get_weight());
            r.hit.title = std::move(title);
            if (im.snippets) {
                r.hit.snippet = plain_text(im.snippets->generate(body, im.snippet_chars));
            }
            if (im.with_body) {
                r.body = std::move(body);
            }
        } else {
            r.hit.score = it.get_weight();
        }
        im.last_date = doc.get_value(schema::kSlotDate);
        im.last_docid = *it;
        out.push_back(std::move(r));
    }
    im.offset += mset.size();
    if (mset.size() < n) {
        im.finished = true;
    }
    return out;
}

} // namespace gazette::searchd
