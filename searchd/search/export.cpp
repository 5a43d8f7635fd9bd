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
    Xapian::Query query;
    CoordinatedQuery coordinated;        ///< relevance order by matched clauses (bonus 0 = plain)
    std::optional<Xapian::Query> filter; ///< the plan's filters, for the coordination tiers
    std::size_t tier = 0;                ///< the coordination tier being exported
    SortOrder sort = SortOrder::relevance;
    bool with_body = false;
    std::size_t snippet_chars = 0;
    std::optional<SnippetGenerator> snippets;
    std::uint64_t total = 0;
    std::uint64_t offset = 0;    ///< relevance order (within the tier, when coordinated)
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
        im.coordinated =
            ranked_text(*plan, request, g.env.config->searchd.coordination_max_words, im.db.get_doccount());
        im.filter = plan->filter;
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
    e.set_query(im.query);
    e.set_weighting_scheme(ranking_weight());
    // The batch as (weight, docid), in export order.
    std::vector<std::pair<double, Xapian::docid>> batch;
    batch.reserve(n);
    const auto add = [&batch](const Xapian::MSet& m, double bonus) {
        for (auto it = m.begin(); it != m.end(); ++it) {
            batch.emplace_back(it.get_weight() + bonus, *it);
        }
    };
    const CoordinatedQuery& c = im.coordinated;
    if (im.sort == SortOrder::relevance && c.bonus > 0) {
        // Coordinated: tier by tier (coordination.hpp), each in BM25 order.
        while (batch.size() < n && im.tier < c.tiers.size()) {
            const Xapian::Query& tier = c.tiers[im.tier];
            e.set_query(im.filter ? Xapian::Query(Xapian::Query::OP_FILTER, tier, *im.filter) : tier);
            const auto need = static_cast<Xapian::doccount>(n - batch.size());
            const Xapian::MSet m = e.get_mset(static_cast<Xapian::doccount>(im.offset), need);
            const double matched = im.tier < c.clauses ? static_cast<double>(c.clauses - im.tier) : 0.0;
            add(m, matched * c.bonus);
            im.offset += m.size();
            if (m.size() < need) {
                ++im.tier;
                im.offset = 0;
            }
        }
    } else if (im.sort == SortOrder::relevance) {
        add(e.get_mset(static_cast<Xapian::doccount>(im.offset), static_cast<Xapian::doccount>(n)), 0);
        im.offset += batch.size();
    } else {
        const bool desc = im.sort == SortOrder::date_desc;
        e.set_sort_by_value(schema::kSlotDate, desc);
        // Ties on the date go by docid ascending, as AfterKeyDecider expects.
        e.set_docid_order(Xapian::Enquire::ASCENDING);
        std::optional<AfterKeyDecider> after;
        if (im.started) {
            after.emplace(im.last_date, im.last_docid, desc);
        }
        add(e.get_mset(0, static_cast<Xapian::doccount>(n), 0, nullptr, after ? &*after : nullptr), 0);
    }
    im.started = true;
    out.reserve(batch.size());
    for (const auto& [weight, docid] : batch) {
        const Xapian::Document doc = im.db.get_document(docid, Xapian::DOC_ASSUME_VALID);
        ExportRecord r;
        // Exports carry the raw title (CSV and NDJSON are not HTML).
        std::optional<HitSummary> summary;
        if (!im.with_body && !im.snippets) {
            summary = stored_hit_summary(doc);
        }
        if (summary) {
            std::string title = summary->title;
            r.hit = hit_from_summary(std::move(*summary), weight);
            r.hit.title = std::move(title);
        } else if (auto article = article_from_stored_json(doc.get_data(), true)) {
            std::string body = std::move(article->body);
            std::string title = article->title;
            if (im.with_body) {
                r.tags = article->tags;
            }
            r.hit = hit_from_article(std::move(*article), weight);
            r.hit.title = std::move(title);
            if (im.snippets) {
                r.hit.snippet = plain_text(im.snippets->generate(body, im.snippet_chars));
            }
            if (im.with_body) {
                r.body = std::move(body);
            }
        } else {
            r.hit.score = weight;
        }
        im.last_date = doc.get_value(schema::kSlotDate);
        im.last_docid = docid;
        out.push_back(std::move(r));
    }
    if (batch.size() < n) {
        im.finished = true;
    }
    return out;
}

} // namespace gazette::searchd
