#include "searchd/search/searcher.hpp"

#include "common/analyzer.hpp"
#include "common/article.hpp"
#include "common/data_dir.hpp"
#include "common/logging.hpp"
#include "common/schema.hpp"
#include "common/text.hpp"
#include "common/topics.hpp"
#include "searchd/search/cursor.hpp"
#include "searchd/search/facets.hpp"
#include "searchd/search/generation_watcher.hpp"
#include "searchd/search/hit_fields.hpp"
#include "searchd/search/match_cost.hpp"
#include "searchd/search/match_set.hpp"
#include "searchd/search/query_builder.hpp"
#include "searchd/search/result_cache.hpp"
#include "searchd/search/shard_set.hpp"
#include "searchd/search/slice_match.hpp"
#include "searchd/search/coordination.hpp"
#include "searchd/search/snippet.hpp"
#include "searchd/search/explain.hpp"
#include "searchd/search/feedback.hpp"
#include "searchd/search/spelling.hpp"
#include "searchd/search/synonyms.hpp"
#include "searchd/search/weighting.hpp"

#include <xapian.h>

#include <fmt/format.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>

namespace gazette::searchd {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kRetainedCache = 2;
/// Below this many hits, a spelling correction is offered as `suggestion`.
constexpr std::uint64_t kSuggestBelow = 10;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::uint64_t directory_bytes(const std::filesystem::path& dir) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->is_regular_file(ec)) {
            total += it->file_size(ec);
        }
    }
    return total;
}

/// An open generation and the query parsers bound to it (one per query language).
struct OpenGeneration {
    std::string name;
    Xapian::Database db;
    std::map<std::string, Xapian::QueryParser, std::less<>> parsers;
    std::string path;   ///< the generation folder
    bool local = false; ///< one local glass database (not a stub of shards): helpers can open it
};

OpenGeneration open_generation(const std::string& name, const std::filesystem::path& path) {
    OpenGeneration g{name, Xapian::Database(path.string()), {}, path.string(), false};
    std::error_code ec;
    g.local = std::filesystem::exists(path / "iamglass", ec) && g.db.size() == 1;
    return g;
}

/// Whether every term of the query occurs in the archive, from the statistics the match already
/// gathered (no index lookups). A query word always becomes its unstemmed or its stemmed term,
/// and suggest_spelling skips a word when either occurs; so when every term occurs and only
/// absent words are checked, it has nothing to do.
bool every_term_occurs(const Xapian::MSet& mset, const Xapian::Query& query) {
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
        if (mset.get_termfreq(*t) == 0) {
            return false;
        }
    }
    return true;
}

/// Thrown inside a search attempt to ask for a retry after reopen().
struct Retry {};

} // namespace

struct Searcher::Impl {
    SearchEnv env;
    std::uint64_t live_sequence = 0;
    std::optional<OpenGeneration> live;
    std::deque<OpenGeneration> retained;
    std::uint64_t doc_count = 0;
    Clock::time_point last_reopen_check{}; ///< of the live handle (see reopen_due)

    explicit Impl(SearchEnv e) : env(e) {}

    const DataDir& data_dir() const { return env.watcher->data_dir(); }

    /// Whether the live handle should look for a newer commit now. Database::reopen() opens and
    /// reads the version file: ~2% of a small index's query cost under load, for news that
    /// arrives at most a few times a second. Checking at most every reopen_check_ms bounds the
    /// added staleness to that (2 ms by default) and skips most checks only when queries come
    /// faster than that; a query that meets a newer revision still reopens and retries.
    bool reopen_due() {
        const std::uint32_t interval_ms = env.config->searchd.reopen_check_ms;
        const auto now = Clock::now();
        if (interval_ms > 0 && now - last_reopen_check < std::chrono::milliseconds(interval_ms)) {
            return false;
        }
        last_reopen_check = now;
        return true;
    }

    /// The live generation, opened fresh when the watcher saw a swap, else reopened.
    Result<OpenGeneration*> acquire_live() {
        const std::uint64_t seq = env.watcher->sequence();
        if (seq == 0) {
            return Error(ErrorCode::not_ready, "no index generation is live yet");
        }
        if (live && seq == live_sequence && reopen_due()) {
            try {
                live->db.reopen();
            } catch (const Xapian::NetworkError& e) {
                // A remote shard dropped the connection (xapian-tcpsrv idle timeout, restart):
                // open the generation anew, which reconnects.
                logger("search")->warn("generation {}: {}; reconnecting", live->name, e.get_msg());
                live.reset();
            }
        }
        if (!live || seq != live_sequence) {
            const auto name = env.watcher->live();
            if (!name) {
                return Error(ErrorCode::not_ready, "no index generation is live yet");
            }
            try {
                OpenGeneration g = open_generation(*name, data_dir().generation_path(*name));
                live = std::move(g);
                live_sequence = seq;
                last_reopen_check = Clock::now();
            } catch (const Xapian::DatabaseOpeningError& e) {
                logger("search")->error("cannot open generation {}: {}", *name, e.get_msg());
                live.reset();
                return Error(ErrorCode::not_ready,
                             fmt::format("generation {} cannot be opened", *name));
            } catch (const Xapian::NetworkError& e) {
                logger("search")->error("cannot reach a shard of generation {}: {}", *name, e.get_msg());
                live.reset();
                return Error(ErrorCode::not_ready, fmt::format("a shard of generation {} is unreachable", *name));
            }
        }
        doc_count = live->db.get_doccount();
        return &*live;
    }

    /// A generation by name: the live one, or a retained older one (small per-worker cache).
    Result<OpenGeneration*> acquire(const std::string& generation) {
        if (generation.empty()) {
            return acquire_live();
        }
        if (!generation_number(generation)) {
            return Error(ErrorCode::bad_request,
                         fmt::format("'{}' is not a generation name (like g000004)", generation),
                         "generation");
        }
        if (const auto name = env.watcher->live(); name && *name == generation) {
            return acquire_live();
        }
        for (auto it = retained.begin(); it != retained.end(); ++it) {
            if (it->name == generation) {
                it->db.reopen();
                return &*it;
            }
        }
        const auto path = data_dir().generation_path(generation);
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            return Error(ErrorCode::not_found,
                         fmt::format("generation {} is not retained", generation), "generation");
        }
        try {
            retained.push_front(open_generation(generation, path));
        } catch (const Xapian::DatabaseOpeningError& e) {
            return Error(ErrorCode::not_found,
                         fmt::format("generation {} cannot be opened: {}", generation, e.get_msg()),
                         "generation");
        }
        while (retained.size() > kRetainedCache) {
            retained.pop_back();
        }
        return &retained.front();
    }

    Xapian::QueryParser& parser(OpenGeneration& g, const std::string& lang) {
        auto it = g.parsers.find(lang);
        if (it == g.parsers.end()) {
            Xapian::QueryParser qp = env.analyzer->make_query_parser(lang, g.db);
            configure_query_parser(qp, env.config->limits);
            it = g.parsers.emplace(lang, std::move(qp)).first;
        }
        return it->second;
    }

    /// Runs `attempt` on a generation; DatabaseModifiedError -> reopen and retry once.
    template <class T, class F>
    Result<T> with_retry(const std::string& generation, F&& attempt) {
        for (int round = 0; round < 2; ++round) {
            auto g = acquire(generation);
            if (!g) {
                return g.error();
            }
            try {
                return attempt(**g);
            } catch (const Xapian::DatabaseModifiedError&) {
                logger("search")->debug("database modified during query; reopening");
                (*g)->db.reopen();
            } catch (const Xapian::DatabaseOpeningError& e) {
                // The generation went away underneath us (deleted after a swap).
                logger("search")->warn("generation {} vanished: {}", (*g)->name, e.get_msg());
                live.reset();
                retained.clear();
            } catch (const Xapian::NetworkError& e) {
                // A remote shard dropped the connection (xapian-tcpsrv idle timeout, restart):
                // open the generation anew, which reconnects.
                logger("search")->warn("generation {}: {}; reconnecting", (*g)->name, e.get_msg());
                live.reset();
                retained.clear();
            }
        }
        return Error(ErrorCode::not_ready, "the index changed during the query; retry");
    }

    Result<SearchResult> run_search(OpenGeneration& g, const SearchRequest& request,
                                    const std::optional<Cursor>& cursor, Clock::time_point t0);
    /// `snippets` is null when the request wants none (snippet_chars 0).
    Hit make_hit(const Xapian::Document& doc, double weight, const SnippetGenerator* snippets,
                 const SearchRequest& request) const;
    /// The match as two docid slices, the second on a helper thread; nullopt when no helper is
    /// free (the caller then runs the usual single match). `mset` receives the first slice's.
    std::optional<SliceResult> run_sliced(OpenGeneration& g, const Xapian::Query& query, std::size_t offset,
                                          std::size_t limit, Xapian::doccount window, double budget_s,
                                          Xapian::MSet& mset);
    /// Whether this search may split its match over two cores (slice_match.hpp).
    /// (Date-ordered cursors never get here: their match runs with a MatchDecider.)
    bool can_slice(const OpenGeneration& g, const SearchRequest& request, bool want_facets,
                   bool feedback, Xapian::doccount window) const;
};

Searcher::Searcher(SearchEnv env) : impl_(std::make_unique<Impl>(env)) {}
Searcher::~Searcher() = default;

std::uint64_t Searcher::last_doc_count() const noexcept { return impl_->doc_count; }

Hit Searcher::Impl::make_hit(const Xapian::Document& doc, double weight, const SnippetGenerator* snippets,
                             const SearchRequest& request) const {
    Hit hit;
    if (snippets == nullptr || request.snippet_chars == 0) {
        // The summary slot: a few hundred bytes instead of the whole stored article.
        hit = hit_from_document(doc, weight);
    } else if (auto article = article_from_stored_json(doc.get_data(), true)) {
        std::string body = std::move(article->body);
        hit = hit_from_article(std::move(*article), weight);
        hit.snippet = snippets->generate(body, request.snippet_chars);
    } else {
        // Should never happen: the indexer wrote this data. Keep the hit, log the damage.
        logger("search")->error("docid {} has unreadable data: {}", doc.get_docid(), article.error().message);
        hit.score = weight;
    }
    return hit;
}

std::optional<SliceResult> Searcher::Impl::run_sliced(OpenGeneration& g, const Xapian::Query& query,
                                                      std::size_t offset, std::size_t limit,
                                                      Xapian::doccount window, double budget_s,
                                                      Xapian::MSet& mset) {
    const Xapian::docid last = g.db.get_lastdocid();
    const Xapian::docid middle = last / 2 + 1;
    const SliceSpec first{1, middle, window, budget_s};
    const SliceSpec second{middle, last + 1, window, budget_s};
    auto task = env.slices->try_start(g.path, g.db.get_revision(), query, second);
    if (!task) {
        return std::nullopt;
    }
    std::vector<SliceResult> parts;
    parts.push_back(match_slice(g.db, query, first, &mset));
    auto other = task->wait();
    // The helper could not run it (its handle saw another revision): run it here.
    parts.push_back(other ? std::move(*other) : match_slice(g.db, query, second));
    return merge_slices(parts, offset, limit);
}

bool Searcher::Impl::can_slice(const OpenGeneration& g, const SearchRequest& request, bool want_facets,
                               bool feedback, Xapian::doccount window) const {
    const std::uint64_t min_docs = env.config->searchd.parallel_min_docs;
    return env.slices != nullptr && min_docs > 0 && g.local && request.sort == SortOrder::relevance &&
           !want_facets && !feedback && !request.explain && window <= 1000 &&
           doc_count >= min_docs;
}

Result<SearchResult> Searcher::Impl::run_search(OpenGeneration& g, const SearchRequest& request,
                                                const std::optional<Cursor>& cursor,
                                                Clock::time_point t0) {
    const LimitsConfig& limits = env.config->limits;
    std::string cache_key;
    const bool use_cache = env.cache != nullptr && env.cache->enabled();
    if (use_cache) {
        cache_key = ResultCache::key(request, g.name, database_revision(g.db));
        if (auto cached = env.cache->get(cache_key)) {
            cached->took_ms = ms_since(t0);
            return std::move(*cached);
        }
    }
    const std::string lang = env.analyzer->query_language(request.q);
    Xapian::QueryParser& qp = parser(g, lang);
    // No spelling table in Gazette indexes: suggestions come from suggest_spelling below.
    const unsigned flags = env.analyzer->query_flags();
    // Synonyms are expanded in the query text (see synonyms.hpp for why).
    std::optional<SearchRequest> expanded;
    std::vector<std::string> synonym_groups;
    if (env.synonyms != nullptr && !env.synonyms->empty()) {
        std::string q = env.synonyms->expand(request.q, &synonym_groups);
        if (q != request.q) {
            expanded = request;
            expanded->q = std::move(q);
        }
    }
    auto plan = build_query_plan(qp, expanded ? *expanded : request, flags, limits);
    if (!plan) {
        return plan.error();
    }
    plan->synonym_groups = synonym_term_groups(qp, flags, synonym_groups);

    const Xapian::doccount doccount = g.db.get_doccount();
    const bool want_facets = !request.facets.empty();
    const double budget_s = limits.query_time_budget_ms / 1000.0;

    Xapian::Enquire enquire(g.db);
    enquire.set_weighting_scheme(ranking_weight());
    // The ranked match puts articles matching more of the words first (coordination.hpp);
    // counting and facets below use the plain filtered query, which matches the same set.
    // limit=0 asks for counts only (the search page's facet requests): nothing to rank.
    const CoordinatedQuery coordinated = ranked_text(
        *plan, request, request.limit == 0 ? 0 : env.config->searchd.coordination_max_words, doccount);
    // Relevance order is re-ranked with pseudo-relevance feedback (same hits, better order).
    // Its pseudo-relevant set is the plain query's top 10; with coordination, its expansion
    // terms re-rank within each tier (match_tiers' `reweight`).
    std::map<std::string, double> feedback_scale;
    std::optional<Xapian::Query> feedback;
    if (request.feedback && request.sort == SortOrder::relevance && !request.q.empty() &&
        !plan->text.empty() && plan->text.get_type() != Xapian::Query::LEAF_MATCH_ALL) {
        feedback = feedback_query(g.db, plan->filtered, plan->text, FeedbackOptions{}, &feedback_scale);
    }
    enquire.set_query(feedback ? *feedback : plan->filtered);
    // The ranked match skips the timer when its query shape bounds it far below the budget.
    const double match_budget_s =
        budget_s > 0 && !match_is_bounded(feedback ? *feedback : plan->filtered, doccount) ? budget_s : 0;
    if (match_budget_s > 0) {
        enquire.set_time_limit(match_budget_s);
    }
    switch (request.sort) {
    case SortOrder::relevance:
        enquire.set_sort_by_relevance();
        break;
    case SortOrder::date_desc:
        enquire.set_sort_by_value(schema::kSlotDate, true);
        break;
    case SortOrder::date_asc:
        enquire.set_sort_by_value(schema::kSlotDate, false);
        break;
    }

    std::size_t offset = request.offset;
    // What the match ranks: [offset, offset + page_limit). An anchored relevance cursor ranks
    // a margin on both sides of where the page should start and continues after the previous
    // page's last hit wherever it now is: commits to the live generation between two pages
    // move positions (new articles ranking above, deleted ones), and continuing by position
    // alone then repeated or skipped hits.
    std::size_t page_limit = request.limit;
    Xapian::docid anchor = 0;
    std::size_t anchor_margin = 0; // ranks before the expected start
    std::optional<AfterKeyDecider> decider;
    if (cursor) {
        if (cursor->sort == SortOrder::relevance) {
            offset = static_cast<std::size_t>(cursor->offset);
            if (cursor->last_docid != 0 && request.limit > 0) {
                anchor = cursor->last_docid;
                const std::size_t margin = 2 * request.limit + 10;
                anchor_margin = std::min(offset, margin);
                offset -= anchor_margin;
                page_limit = anchor_margin + request.limit + margin;
            }
        } else {
            if (is_sharded(g.db)) { // remote shards run no MatchDecider (see shard_set.hpp)
                return Error(ErrorCode::bad_request,
                             "date-sorted cursor paging is not available on a sharded index; use offset",
                             "cursor");
            }
            offset = 0;
            decider.emplace(cursor->last_date, cursor->last_docid,
                            cursor->sort == SortOrder::date_desc);
        }
    }

    FacetSpy spy(request.facets);
    // Columns matching this exact revision make counting an array increment per document.
    std::shared_ptr<const FacetColumns> columns;
    if (want_facets && env.facet_columns != nullptr) {
        columns = env.facet_columns->get(g.name, database_revision(g.db), data_dir().generation_path(g.name));
        spy.use_columns(columns);
    }
    // With columns, boolean-shaped queries are counted from a posting-list bitmap (exact, no
    // matcher pass); other shapes fall back to the MatchSpy passes below.
    MatchSetEvaluator match_sets(g.db, columns.get());
    const bool use_match_sets = columns && env.facet_columns->match_sets();
    std::optional<std::uint64_t> exact_matches;
    if (use_match_sets) {
        // Feedback only re-weights (AND_MAYBE), so the plain query has the same matches.
        exact_matches = spy.count_matches(match_sets, plan->filtered);
    }
    const auto window = static_cast<Xapian::doccount>(offset + page_limit);
    Xapian::MSet mset;
    Xapian::MSet counting; // the MSet whose estimates give `total`
    // Exact facets need every matching document. Counting them in the ranked match would make
    // Xapian weigh every match and give up its top-k pruning; a separate unweighted pass
    // (BoolWeight) visits the same documents for a fraction of the cost, while the ranked
    // pass stays a cheap top-k.
    auto count_all = [&](Xapian::MatchSpy& counter_spy) {
        Xapian::Enquire counter(g.db);
        counter.set_query(plan->filtered);
        counter.set_weighting_scheme(Xapian::BoolWeight());
        if (budget_s > 0) {
            counter.set_time_limit(budget_s);
        }
        return get_mset_with_spy(counter, counter_spy, doccount, g.db);
    };
    // Coordinated searches (coordination.hpp) run the tiers: plain queries per matched-clause
    // count, best first, until the window is full. (Coordination is for relevance order only,
    // so never with a date cursor's decider.)
    const bool coordinated_match = coordinated.bonus > 0;
    const bool use_tiers = coordinated_match && !decider;
    // feedback_query's expansion: AND_MAYBE(query, expansion).
    const std::optional<Xapian::Query> reweight =
        feedback && feedback->get_num_subqueries() == 2 ? std::optional<Xapian::Query>(feedback->get_subquery(1))
                                                        : std::nullopt;
    // Totals of the plain query when the page came from the tiers (cheap: the match stops
    // after window + 1 documents).
    auto estimate_all = [&]() {
        Xapian::Enquire e(g.db);
        e.set_query(plan->filtered);
        e.set_weighting_scheme(Xapian::BoolWeight());
        return e.get_mset(0, 0, window + 1);
    };
    // The ranked page as (weight, docid): from two docid slices on two cores (slice_match.hpp),
    // or from the tiers; `mset` is then the first slice's or tier's, used for its statistics.
    std::optional<SliceResult> sliced;
    SliceHelpers::InFlight in_flight(env.slices);
    if (!decider && can_slice(g, request, want_facets, feedback.has_value(), window)) {
        if (use_tiers) {
            // The first tier (every clause) split over two cores: when it fills the window,
            // its page is the page.
            sliced = run_sliced(g, restrict_to_filters(*plan, coordinated.tiers.front()), offset, page_limit,
                                window, match_budget_s, mset);
            if (sliced && sliced->lower >= window) {
                for (auto& hit : sliced->top) {
                    hit.first += coordinated.all_clauses_bonus();
                }
            } else {
                sliced.reset(); // the tiers run on this core, below
            }
        } else {
            sliced = run_sliced(g, plan->filtered, offset, page_limit, window, match_budget_s, mset);
        }
    }
    if (!sliced && use_tiers) {
        sliced = match_tiers(enquire, coordinated, *plan, offset, page_limit, mset, reweight ? &*reweight : nullptr);
    }
    if (sliced && coordinated_match) {
        counting = want_facets && !exact_matches ? count_all(spy) : estimate_all();
        sliced->lower = counting.get_matches_lower_bound();
        sliced->upper = counting.get_matches_upper_bound();
        sliced->estimated = counting.get_matches_estimated();
    } else if (sliced) {
        counting = mset;
    } else if (!decider) {
        // check_at_least = window + 1 is the least that still says reliably whether another
        // page exists (upper bound > window iff it does). A larger check (it was 100) tightens
        // the `total` estimate but costs the matcher its early termination on every query;
        // `total` carries lower/upper bounds and `exact` for that reason.
        mset = enquire.get_mset(static_cast<Xapian::doccount>(offset), static_cast<Xapian::doccount>(page_limit),
                                window + 1);
        counting = want_facets && !exact_matches ? count_all(spy) : mset;
    } else {
        mset = enquire.get_mset(0, static_cast<Xapian::doccount>(request.limit), 0, nullptr,
                                &*decider);
        if (want_facets && !exact_matches) {
            enquire.add_matchspy(&spy);
        }
        counting = enquire.get_mset(0, 0, want_facets && !exact_matches ? doccount : 100);
    }
    enquire.clear_matchspies();

    SearchResult result;
    result.q = request.q;
    result.parsed = plan->text.get_description();
    result.generation = g.name;
    bool budget_hit = budget_s > 0 && ms_since(t0) >= limits.query_time_budget_ms;
    result.total.lower = counting.get_matches_lower_bound();
    result.total.upper = counting.get_matches_upper_bound();
    result.total.value = counting.get_matches_estimated();
    if (sliced) {
        result.total.lower = sliced->lower;
        result.total.upper = sliced->upper;
        result.total.value = sliced->estimated;
    }
    if (exact_matches) {
        result.total.lower = result.total.upper = result.total.value = *exact_matches;
    }
    result.total.exact = result.total.lower == result.total.upper && !budget_hit;

    for (const FacetField f : request.facets) {
        result.facets.push_back(FacetResult{f, spy.top(f, request.facet_size), !budget_hit});
    }
    // Disjunctive facets: a field with an active filter is counted without its own filter,
    // so the user sees what selecting another value of it would give.
    for (const auto& [field, query] : plan->disjunctive) {
        FacetSpy one({field});
        one.use_columns(columns);
        if (!use_match_sets || !one.count_matches(match_sets, query)) {
            Xapian::Enquire e(g.db);
            e.set_query(query);
            if (budget_s > 0) {
                e.set_time_limit(budget_s);
            }
            (void)get_mset_with_spy(e, one, doccount, g.db);
        }
        for (auto& fr : result.facets) {
            if (fr.field == field) {
                fr.values = one.top(field, request.facet_size);
                fr.disjunctive = true;
            }
        }
    }
    budget_hit = budget_s > 0 && ms_since(t0) >= limits.query_time_budget_ms;
    if (budget_hit) {
        for (auto& fr : result.facets) {
            fr.exact = false;
        }
        result.total.exact = false;
        if (ms_since(t0) > 1.5 * limits.query_time_budget_ms) {
            return Error(ErrorCode::timeout,
                         fmt::format("query exceeded its time budget of {} ms",
                                     limits.query_time_budget_ms));
        }
    }

    std::optional<SnippetGenerator> snippet_maker; // only when snippets are asked for
    if (request.snippet_chars > 0) {
        snippet_maker.emplace(SnippetGenerator::from_query(
            plan->text, SnippetGenerator::wildcard_roots(request.q), env.analyzer->stemmer(lang)));
    }
    const SnippetGenerator* snippets = snippet_maker ? &*snippet_maker : nullptr;
    // The rank of the page's first hit. An anchored cursor's page starts after the previous
    // page's last hit when it is within the ranked margin, else where it would have been.
    std::size_t page_start = offset;
    if (anchor != 0) {
        std::vector<std::pair<double, Xapian::docid>> span;
        if (sliced) {
            span = std::move(sliced->top);
        } else {
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                span.emplace_back(it.get_weight(), *it);
            }
        }
        std::size_t start = std::min(anchor_margin, span.size());
        for (std::size_t j = 0; j < span.size(); ++j) {
            if (span[j].second == anchor) {
                start = j + 1;
                break;
            }
        }
        SliceResult page;
        for (std::size_t i = start; i < span.size() && i < start + request.limit; ++i) {
            page.top.push_back(span[i]);
        }
        sliced = std::move(page);
        page_start = offset + start;
    }
    std::vector<Xapian::docid> docids; // of the hits, for explain and the next cursor
    if (sliced) {
        result.hits.reserve(sliced->top.size());
        for (const auto& [weight, docid] : sliced->top) {
            result.hits.push_back(make_hit(g.db.get_document(docid, Xapian::DOC_ASSUME_VALID), weight, snippets, request));
            docids.push_back(docid);
        }
    } else {
        result.hits.reserve(mset.size());
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            result.hits.push_back(make_hit(it.get_document(), it.get_weight(), snippets, request));
            docids.push_back(*it);
        }
    }
    if (request.explain) {
        // `enquire` holds the last query it ran (the parsed text, the bonus query or a tier):
        // each has every term of the text.
        for (std::size_t i = 0; i < docids.size(); ++i) {
            for (auto t = enquire.get_matching_terms_begin(docids[i]); t != enquire.get_matching_terms_end(docids[i]);
                 ++t) {
                result.hits[i].matched_terms.push_back(*t);
            }
        }
        explain_hits(g.db, plan->text, enquire, docids, result.hits, &feedback_scale, &coordinated);
    }

    if (!request.q.empty()) {
        SpellingOptions spelling;
        // With few hits, rare words are checked too ("rare" scales with the archive: 1 in
        // 10,000 documents). Otherwise only words the archive lacks entirely, so that
        // "energy securty" gets a suggestion although "energy" alone finds plenty.
        spelling.rare_at_most = result.total.value < kSuggestBelow ? doccount / 10000 : 0;
        if (spelling.rare_at_most > 0 || !every_term_occurs(mset, plan->text)) {
            result.suggestion = suggest_spelling(g.db, request.q, env.analyzer->stemmer(lang), spelling);
        }
    }

    // Another page exists: hand out a cursor pinned to this generation.
    const std::size_t page_size = sliced ? sliced->top.size() : mset.size();
    const bool more = page_size == request.limit &&
                      (decider ? mset.get_matches_lower_bound() > mset.size()
                               : result.total.upper > page_start + request.limit);
    if (more && page_size > 0) {
        Cursor next;
        next.generation = g.name;
        next.sort = request.sort;
        if (request.sort == SortOrder::relevance) {
            next.offset = page_start + request.limit;
            next.last_docid = docids.back();
        } else {
            auto last = mset.end();
            --last;
            next.last_date = last.get_document().get_value(schema::kSlotDate);
            next.last_docid = *last;
        }
        result.next_cursor = encode_cursor(next);
    }
    result.took_ms = ms_since(t0);
    if (use_cache && result.total.exact) {
        env.cache->put(cache_key, result);
    }
    return result;
}

Result<SearchResult> Searcher::search(const SearchRequest& request) {
    const auto t0 = Clock::now();
    std::optional<Cursor> cursor;
    std::string generation = request.generation;
    SearchRequest effective = request;
    if (!request.cursor.empty()) {
        auto c = decode_cursor(request.cursor);
        if (!c) {
            return c.error();
        }
        if (!generation.empty() && generation != c->generation) {
            return Error(ErrorCode::bad_request, "cursor belongs to another generation", "cursor");
        }
        generation = c->generation;
        effective.sort = c->sort;
        cursor = std::move(*c);
    }
    try {
        return impl_->with_retry<SearchResult>(generation, [&](OpenGeneration& g) {
            return impl_->run_search(g, effective, cursor, t0);
        });
    } catch (const Xapian::WildcardError& e) {
        return Error(ErrorCode::too_complex,
                     fmt::format("a wildcard expands to more than {} terms",
                                 impl_->env.config->limits.max_wildcard_expansion),
                     "q");
    } catch (const Xapian::QueryParserError& e) {
        return Error(ErrorCode::bad_query, e.get_msg(), "q");
    }
}

Result<void> Searcher::with_generation(const std::string& generation,
                                       const std::function<Result<void>(const GenerationAccess&)>& fn) {
    return impl_->with_retry<void>(generation, [&](OpenGeneration& g) -> Result<void> {
        const GenerationAccess access{impl_->env, g.name, g.db};
        return fn(access);
    });
}

Result<ArticleResult> Searcher::article(const std::string& id, const std::string& generation) {
    return impl_->with_retry<ArticleResult>(generation, [&](OpenGeneration& g) -> Result<ArticleResult> {
        const std::string term = std::string(schema::kIdPrefix) + id;
        auto pl = g.db.postlist_begin(term);
        if (pl == g.db.postlist_end(term)) {
            return Error(ErrorCode::not_found, fmt::format("no article with id '{}'", id), "id");
        }
        return ArticleResult{g.db.get_document(*pl).get_data(), g.name};
    });
}

Result<StatsResult> Searcher::stats() {
    return impl_->with_retry<StatsResult>({}, [&](OpenGeneration& g) -> Result<StatsResult> {
        StatsResult s;
        s.articles = g.db.get_doccount();
        s.generation = g.name;
        s.last_update = g.db.get_metadata(std::string(schema::kMetaLastUpdate));
        s.created = g.db.get_metadata(std::string(schema::kMetaCreated));
        s.index_bytes = directory_bytes(impl_->data_dir().generation_path(g.name));
        try {
            s.generations = impl_->data_dir().list_generations();
        } catch (const std::exception& e) {
            logger("search")->warn("cannot list generations: {}", e.what());
        }
        return s;
    });
}

Result<std::vector<TopicCount>> Searcher::topics() {
    return impl_->with_retry<std::vector<TopicCount>>(
        {}, [&](OpenGeneration& g) -> Result<std::vector<TopicCount>> {
            std::vector<TopicCount> out;
            const std::string prefix(schema::kTopicPrefix);
            if (impl_->env.taxonomy != nullptr) {
                for (const auto& t : impl_->env.taxonomy->topics()) {
                    out.push_back(TopicCount{t.id, t.label, t.description,
                                             g.db.get_termfreq(prefix + t.id)});
                }
                return out;
            }
            // No taxonomy file: report the topics present in the index.
            for (auto it = g.db.allterms_begin(prefix); it != g.db.allterms_end(prefix); ++it) {
                const std::string term = *it;
                out.push_back(TopicCount{term.substr(prefix.size()), term.substr(prefix.size()), {},
                                         it.get_termfreq()});
            }
            return out;
        });
}

} // namespace gazette::searchd
