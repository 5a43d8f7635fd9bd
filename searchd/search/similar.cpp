#include "searchd/search/similar.hpp"

#include "common/schema.hpp"
#include "searchd/search/hit_fields.hpp"
#include "searchd/search/query_builder.hpp"
#include "searchd/search/research_query.hpp"
#include "searchd/search/weighting.hpp"

#include <xapian.h>

#include <fmt/format.h>

#include <chrono>

namespace gazette::searchd {
namespace {

/// Plain words only: no field prefixes, no stemmed Z-terms (they duplicate the words), no
/// numbers-only or one-letter terms.
class WordDecider : public Xapian::ExpandDecider {
public:
    bool operator()(const std::string& term) const override {
        if (term.size() < 2) {
            return false;
        }
        const auto c = static_cast<unsigned char>(term.front());
        if (c >= 'A' && c <= 'Z') {
            return false;
        }
        return term.find_first_not_of("0123456789") != std::string::npos;
    }
};

} // namespace

Result<SearchResult> run_similar(Searcher& searcher, const SimilarRequest& request) {
    const auto t0 = std::chrono::steady_clock::now();
    SearchResult out;
    auto done = searcher.with_generation(request.generation, [&](const GenerationAccess& g) -> Result<void> {
        const std::string id_term = std::string(schema::kIdPrefix) + request.id;
        auto pl = g.db.postlist_begin(id_term);
        if (pl == g.db.postlist_end(id_term)) {
            return Error(ErrorCode::not_found, fmt::format("no article with id '{}'", request.id), "id");
        }
        Xapian::RSet rset;
        rset.add_document(*pl);
        Xapian::Enquire enquire(g.db);
        const WordDecider decider;
        const Xapian::ESet eset =
            enquire.get_eset(static_cast<Xapian::termcount>(request.terms), rset, &decider);
        std::vector<Xapian::Query> terms;
        for (auto t = eset.begin(); t != eset.end(); ++t) {
            terms.emplace_back(*t);
        }
        out.generation = g.name;
        out.q = request.id;
        if (terms.empty()) {
            return {};
        }
        Xapian::Query query(Xapian::Query::OP_OR, terms.begin(), terms.end());
        query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(id_term));
        std::vector<Xapian::Query> filters;
        for (const FacetField f : {FacetField::topic, FacetField::source, FacetField::author,
                                   FacetField::lang, FacetField::tag}) {
            if (auto fq = field_filter(f, *request.filters.values_for(f))) {
                filters.push_back(*fq);
            }
        }
        if (auto dq = date_filter(request.filters.from, request.filters.to)) {
            filters.push_back(*dq);
        }
        if (!filters.empty()) {
            query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
        }
        out.parsed = query.get_description();
        enquire.set_query(query);
        enquire.set_weighting_scheme(ranking_weight());
        const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(request.limit), 100);
        out.total.value = mset.get_matches_estimated();
        out.total.lower = mset.get_matches_lower_bound();
        out.total.upper = mset.get_matches_upper_bound();
        out.total.exact = out.total.lower == out.total.upper;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            out.hits.push_back(hit_from_document(it.get_document(), it.get_weight()));
        }
        return {};
    });
    if (!done) {
        return done.error();
    }
    out.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

} // namespace gazette::searchd
