#include "searchd/search/suggest.hpp"
#include "searchd/search/hit_fields.hpp"
#include "searchd/search/shard_set.hpp"

#include "common/article.hpp"
#include "common/logging.hpp"
#include "common/schema.hpp"
#include "common/text.hpp"

#include <xapian.h>

#include <algorithm>

namespace gazette::searchd {
namespace {

using Clock = std::chrono::steady_clock;

/// Earlier words beyond this many are ignored for the title lookup.
constexpr std::size_t kMaxTitleWords = 16;
/// Completions of the last word that take part in the title lookup (the most frequent ones).
constexpr std::size_t kTitleCompletions = 6;
/// Fuzzy completions are looked for only below this many prefix completions: a prefix that
/// already completes to several words is most likely typed right.
constexpr std::size_t kFewCompletions = 3;
/// A one-letter last word matches too much to be a useful title filter; titles wait for two.
constexpr std::size_t kMinTitlePrefixChars = 2;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

/// Letters, digits and every non-ASCII byte (UTF-8 letters) make up words.
bool is_word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::vector<std::string_view> words_of(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !is_word_byte(s[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < s.size() && is_word_byte(s[i])) {
            ++i;
        }
        if (i > start) {
            out.push_back(s.substr(start, i - start));
        }
    }
    return out;
}

/// Byte length of the first `chars` code points of `s`.
std::size_t bytes_of_chars(std::string_view s, std::size_t chars) {
    std::size_t i = 0;
    for (std::size_t n = 0; n < chars && i < s.size(); ++n) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) {
            ++i;
        }
    }
    return i;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

// ---- SuggestIndexCache ------------------------------------------------------------------

std::shared_ptr<const SuggestIndex> SuggestIndexCache::get(const Xapian::Database& db,
                                                           const std::string& generation) {
    const std::uint64_t revision = database_revision(db);
    std::shared_ptr<const SuggestIndex> previous;
    {
        std::lock_guard lock(mutex_);
        if (index_ && generation_ == generation) {
            if (revision_ == revision || Clock::now() - built_ < refresh_) {
                return index_;
            }
            previous = index_;
        }
    }
    std::unique_lock build(build_mutex_, std::defer_lock);
    if (previous) {
        // Same generation, newer commits: one worker refreshes, the others answer from the
        // previous build rather than wait.
        if (!build.try_lock()) {
            return previous;
        }
    } else {
        build.lock();
        std::lock_guard lock(mutex_);
        if (index_ && generation_ == generation) {
            return index_; // built by another worker while we waited
        }
    }
    const auto t0 = Clock::now();
    auto fresh = std::make_shared<const SuggestIndex>(SuggestIndex::build(db));
    const double took = ms_since(t0);
    logger("search")->info("suggest index for {} rev {}: {} terms in {:.1f} ms", generation, revision,
                           fresh->size(), took);
    std::lock_guard lock(mutex_);
    index_ = fresh;
    generation_ = generation;
    revision_ = revision;
    built_ = Clock::now();
    ++builds_;
    last_build_ms_ = took;
    return fresh;
}

void SuggestIndexCache::clear() {
    std::lock_guard lock(mutex_);
    index_.reset();
    generation_.clear();
}

std::uint64_t SuggestIndexCache::builds() const {
    std::lock_guard lock(mutex_);
    return builds_;
}

double SuggestIndexCache::last_build_ms() const {
    std::lock_guard lock(mutex_);
    return last_build_ms_;
}

// ---- helpers ----------------------------------------------------------------------------

unsigned suggest_max_distance(std::size_t chars) noexcept {
    if (chars < 5) {
        return 0;
    }
    return chars < 8 ? 1U : 2U;
}

std::string highlight_title(std::string_view title, const std::vector<std::string>& words,
                            const std::vector<std::string>& completed, std::string_view prefix) {
    std::string out;
    out.reserve(title.size() + 32);
    const std::size_t prefix_chars = text::utf8_length(prefix);
    std::size_t i = 0;
    while (i < title.size()) {
        const std::size_t start = i;
        if (!is_word_byte(title[i])) {
            while (i < title.size() && !is_word_byte(title[i])) {
                ++i;
            }
            text::append_html_escaped(out, title.substr(start, i - start));
            continue;
        }
        while (i < title.size() && is_word_byte(title[i])) {
            ++i;
        }
        const std::string_view word = title.substr(start, i - start);
        const std::string folded = text::fold_case(word);
        std::size_t marked = 0; // bytes of `word` to mark
        if (contains(words, folded) || contains(completed, folded)) {
            marked = word.size();
        } else if (!prefix.empty() && folded.size() >= prefix.size() &&
                   folded.compare(0, prefix.size(), prefix) == 0) {
            marked = bytes_of_chars(word, prefix_chars);
        }
        if (marked > 0) {
            out += "<mark>";
            text::append_html_escaped(out, word.substr(0, marked));
            out += "</mark>";
        }
        text::append_html_escaped(out, word.substr(marked));
    }
    return out;
}

// ---- run_suggest ------------------------------------------------------------------------

Result<SuggestResult> run_suggest(const Xapian::Database& db, const std::string& generation,
                                  const SuggestRequest& request, SuggestIndexCache* cache,
                                  const Xapian::Stem& stemmer) {
    const auto t0 = Clock::now();
    SuggestResult result;
    result.q = request.q;
    result.generation = generation;

    // The last word is the trailing run of word characters; a trailing space or punctuation
    // means the last word is complete and only titles are looked up.
    const std::string_view q = request.q;
    std::size_t cut = q.size();
    while (cut > 0 && is_word_byte(q[cut - 1])) {
        --cut;
    }
    const std::string head = text::collapse_whitespace(q.substr(0, cut));
    const std::string last = text::fold_case(q.substr(cut));
    // Keep the separator the user typed before the last word ("gas " -> "gas pipeline",
    // "title:pip" -> "title:pipeline").
    std::string prefix_text = head;
    if (!prefix_text.empty() && cut > 0 && (q[cut - 1] == ' ' || q[cut - 1] == '\t')) {
        prefix_text.push_back(' ');
    }
    std::vector<std::string> earlier;
    for (const auto w : words_of(head)) {
        if (earlier.size() < kMaxTitleWords) {
            earlier.push_back(text::fold_case(w));
        }
    }

    std::shared_ptr<const SuggestIndex> index;
    if (cache != nullptr) {
        index = cache->get(db, generation);
    } else {
        index = std::make_shared<const SuggestIndex>(SuggestIndex::build(db));
    }

    std::vector<std::string> completed; // completion terms used for the title lookup
    std::vector<std::string> fuzzy;     // typo-tolerant ones, marked as whole words
    if (!last.empty()) {
        for (auto& c : index->complete(last, request.limit)) {
            completed.push_back(c.term);
            result.completions.push_back(SuggestCompletion{prefix_text + c.term, c.count, false});
        }
        const unsigned distance = suggest_max_distance(text::utf8_length(last));
        if (distance > 0 && result.completions.size() < std::min(request.limit, kFewCompletions)) {
            for (auto& c : index->fuzzy_complete(last, distance,
                                                 request.limit - result.completions.size())) {
                completed.push_back(c.term);
                fuzzy.push_back(c.term);
                result.completions.push_back(SuggestCompletion{prefix_text + c.term, c.count, true});
            }
        }
        if (completed.size() > kTitleCompletions) {
            completed.resize(kTitleCompletions);
        }
        if (text::utf8_length(last) < kMinTitlePrefixChars) {
            completed.clear();
        }
    }

    if (request.title_limit > 0 && (!completed.empty() || (last.empty() && !earlier.empty()))) {
        const std::string title(schema::kTitlePrefix);
        std::vector<Xapian::Query> required;
        for (const auto& w : earlier) {
            // Unstemmed or stemmed title term, so "pipelines" finds "Pipeline ...".
            required.emplace_back(Xapian::Query::OP_OR, Xapian::Query(title + w),
                                  Xapian::Query("Z" + title + stemmer(w)));
        }
        Xapian::Query last_query;
        if (!completed.empty()) {
            std::vector<Xapian::Query> alts;
            for (const auto& c : completed) {
                alts.emplace_back(title + c);
            }
            last_query = Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end());
        }
        auto run = [&](const Xapian::Query& query) {
            Xapian::Enquire enquire(db);
            enquire.set_query(query);
            return enquire.get_mset(0, static_cast<Xapian::doccount>(request.title_limit));
        };
        Xapian::Query strict(Xapian::Query::OP_AND, required.begin(), required.end());
        if (!last_query.empty()) {
            strict = required.empty() ? last_query : Xapian::Query(Xapian::Query::OP_AND, strict, last_query);
        }
        Xapian::MSet mset = run(strict);
        if (mset.empty() && !required.empty() && !last_query.empty()) {
            // No title has every word: rank the last word's matches by the earlier words.
            Xapian::Query any(Xapian::Query::OP_OR, required.begin(), required.end());
            mset = run(Xapian::Query(Xapian::Query::OP_AND_MAYBE, last_query, any));
        }
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const Xapian::Document doc = it.get_document();
            // The summary slot when present: an autocomplete answer should not read whole articles.
            if (auto summary = stored_hit_summary(doc)) {
                result.titles.push_back(SuggestTitle{
                    std::move(summary->id), highlight_title(summary->title, earlier, fuzzy, last),
                    std::move(summary->url)});
                continue;
            }
            auto article = article_from_stored_json(doc.get_data(), false);
            if (!article) {
                continue;
            }
            result.titles.push_back(SuggestTitle{
                article->id, highlight_title(article->title, earlier, fuzzy, last), article->url});
        }
    }
    result.took_ms = ms_since(t0);
    return result;
}

} // namespace gazette::searchd
