#include "common/analyzer.hpp"
#include "common/hit_summary.hpp"

#include "common/caching_stemmer.hpp"
#include "common/dates.hpp"
#include "common/schema.hpp"
#include "common/stopwords.hpp"
#include "common/text.hpp"

#include <cld2/public/compact_lang_det.h>
#include <fmt/format.h>

#include <map>
#include <mutex>

namespace gazette {

namespace {

/// Boolean terms longer than this are cut (Xapian's hard limit is 245 bytes per term).
constexpr std::size_t kMaxFilterValueBytes = 160;

/// Builds filter terms for `prefix:value` in queries, normalising the value exactly as the
/// indexer does (so "topic:Energy" matches XTOPICenergy).
class FilterFieldProcessor : public Xapian::FieldProcessor {
public:
    explicit FilterFieldProcessor(std::string prefix) : prefix_(std::move(prefix)) {}
    Xapian::Query operator()(const std::string& value) override {
        return Xapian::Query(prefix_ + Analyzer::filter_value(value));
    }

private:
    std::string prefix_;
};

/// `date:2019-01-01..2020-06-30`, `date:2019..`, `date:..2020-06`: a value range on the date
/// slot, with partial dates widened to whole years or months.
class DateRangeProcessor : public Xapian::RangeProcessor {
public:
    DateRangeProcessor() : Xapian::RangeProcessor(schema::kSlotDate, "date:") {}

    Xapian::Query operator()(const std::string& begin, const std::string& end) override {
        std::string lo;
        std::string hi;
        if (!begin.empty()) {
            auto d = dates::parse(begin, false);
            if (!d) {
                throw Xapian::QueryParserError(fmt::format("invalid start date '{}' in date range", begin));
            }
            lo = d->compact();
        }
        if (!end.empty()) {
            auto d = dates::parse(end, true);
            if (!d) {
                throw Xapian::QueryParserError(fmt::format("invalid end date '{}' in date range", end));
            }
            hi = d->compact();
        }
        if (lo.empty() && hi.empty()) {
            throw Xapian::QueryParserError("empty date range: give a start, an end or both");
        }
        if (lo.empty()) {
            return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotDate, hi);
        }
        if (hi.empty()) {
            return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotDate, lo);
        }
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate, lo, hi);
    }
};

std::string join_multi(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) {
            out += schema::kMultiSep;
        }
        out += v;
    }
    return out;
}

bool has_cyrillic(std::string_view s) {
    for (Xapian::Utf8Iterator it(s.data(), s.size()); it != Xapian::Utf8Iterator(); ++it) {
        const unsigned ch = *it;
        if (ch >= 0x0400 && ch <= 0x04FF) {
            return true;
        }
    }
    return false;
}

} // namespace

struct Analyzer::Impl {
    std::map<std::string, std::unique_ptr<Xapian::SimpleStopper>, std::less<>> stoppers;
    /// Which languages have a stemmer. Only read after construction; never copied across threads.
    std::map<std::string, Xapian::Stem, std::less<>> stemmers;
};

Analyzer::Analyzer(AnalysisConfig config) : config_(std::move(config)), impl_(std::make_unique<Impl>()) {
    // Everything is built up front so that the const accessors need no locking.
    std::vector<std::string> langs = config_.languages;
    langs.push_back(config_.default_language);
    for (const auto& lang : langs) {
        if (impl_->stemmers.count(lang) != 0) {
            continue;
        }
        try {
            impl_->stemmers.emplace(lang, Xapian::Stem(lang));
        } catch (const Xapian::InvalidArgumentError&) {
            impl_->stemmers.emplace(lang, Xapian::Stem());
        }
        if (config_.stopwords) {
            const auto& words = stopwords_for(lang);
            if (!words.empty()) {
                auto stopper = std::make_unique<Xapian::SimpleStopper>();
                for (auto w : words) {
                    stopper->add(std::string(w));
                }
                impl_->stoppers.emplace(lang, std::move(stopper));
            }
        }
    }
}

Analyzer::~Analyzer() = default;

std::string Analyzer::detect_language(std::string_view title, std::string_view body) const {
    // CLD2 needs valid UTF-8; normalise_article guarantees it. 10 KB is plenty to decide.
    std::string sample(title);
    sample += '\n';
    sample.append(text::truncate_utf8(body, 10000));
    bool reliable = false;
    const CLD2::Language lang =
        CLD2::DetectLanguage(sample.data(), static_cast<int>(sample.size()), true, &reliable);
    if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE) {
        return has_cyrillic(sample) ? "ru" : config_.default_language;
    }
    std::string code = CLD2::LanguageCode(lang);
    if (const auto dash = code.find('-'); dash != std::string::npos) {
        code.resize(dash);
    }
    return code;
}

std::string Analyzer::query_language(std::string_view query) const {
    return has_cyrillic(query) ? "ru" : config_.default_language;
}

Xapian::Stem Analyzer::stemmer(std::string_view lang) const {
    // Xapian's reference counts are not atomic: copying one shared Stem from several threads
    // corrupts it. So each thread keeps its own stemmers; the shared map only says which
    // languages have one.
    thread_local std::map<std::string, Xapian::Stem, std::less<>> per_thread;
    if (auto it = per_thread.find(lang); it != per_thread.end()) {
        return it->second;
    }
    Xapian::Stem stem;
    if (auto it = impl_->stemmers.find(lang); it != impl_->stemmers.end() && !it->second.is_none()) {
        stem = make_caching_stemmer(Xapian::Stem(std::string(lang)));
    }
    per_thread.emplace(std::string(lang), stem);
    return stem;
}

const Xapian::Stopper* Analyzer::stopper(std::string_view lang) const {
    if (auto it = impl_->stoppers.find(lang); it != impl_->stoppers.end()) {
        return it->second.get();
    }
    return nullptr;
}

Xapian::TermGenerator Analyzer::make_term_generator(std::string_view lang) const {
    Xapian::TermGenerator tg;
    tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    tg.set_stemmer(stemmer(lang));
    tg.set_stopper(stopper(lang));
    // Stop words stay as exact terms (for phrases) but get no stemmed form.
    tg.set_stopper_strategy(Xapian::TermGenerator::STOP_STEMMED);
    return tg;
}

unsigned Analyzer::query_flags() const noexcept {
    return Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
           Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
           Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;
}

Xapian::QueryParser Analyzer::make_query_parser(std::string_view lang, const Xapian::Database& db) const {
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(stemmer(lang));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_stopper(stopper(lang));
    qp.add_prefix("title", std::string(schema::kTitlePrefix));
    qp.add_prefix("author", std::string(schema::kAuthorTextPrefix));
    qp.add_prefix("source", std::string(schema::kSourceTextPrefix));
    qp.add_boolean_prefix("topic", (new FilterFieldProcessor(std::string(schema::kTopicPrefix)))->release());
    qp.add_boolean_prefix("lang", (new FilterFieldProcessor(std::string(schema::kLangPrefix)))->release());
    qp.add_boolean_prefix("tag", (new FilterFieldProcessor(std::string(schema::kTagPrefix)))->release());
    qp.add_boolean_prefix("id", std::string(schema::kIdPrefix));
    qp.add_rangeprocessor((new DateRangeProcessor())->release());
    return qp;
}

std::string Analyzer::filter_value(std::string_view value) {
    std::string v = text::fold_case(text::collapse_whitespace(value));
    return std::string(text::truncate_utf8(v, kMaxFilterValueBytes));
}

Xapian::Document Analyzer::build_document(const Article& a, Xapian::TermGenerator& tg) const {
    Xapian::Document doc = build_untopiced_document(a, tg);
    retopic_document(doc, a);
    return doc;
}

Xapian::Document Analyzer::build_untopiced_document(const Article& a, Xapian::TermGenerator& tg) const {
    Xapian::Document doc;
    tg.set_document(doc);
    tg.set_stemmer(stemmer(a.lang));
    tg.set_stopper(stopper(a.lang));

    // Title: weighted above the body, and also under the title: prefix.
    if (!a.title.empty()) {
        tg.index_text(a.title, config_.title_weight);
        tg.increase_termpos();
        tg.index_text(a.title, 1, std::string(schema::kTitlePrefix));
        tg.increase_termpos();
    }
    // Section headings weigh like a (lesser) title. They are also in the body text.
    for (const auto& h : a.headings) {
        tg.index_text(h, schema::kHeadingWdfInc - schema::kBodyWdfInc);
        tg.index_text(h, 1, std::string(schema::kTitlePrefix));
        tg.increase_termpos();
    }
    tg.index_text(a.body, schema::kBodyWdfInc);
    tg.increase_termpos();
    for (const auto& author : a.authors) {
        tg.index_text(author, 1, std::string(schema::kAuthorTextPrefix));
        tg.increase_termpos();
        doc.add_boolean_term(std::string(schema::kAuthorPrefix) + filter_value(author));
    }
    if (!a.source.empty()) {
        tg.index_text(a.source, 1, std::string(schema::kSourceTextPrefix));
        doc.add_boolean_term(std::string(schema::kSourcePrefix) + filter_value(a.source));
        doc.add_value(schema::kSlotSource, a.source);
    }

    doc.add_boolean_term(std::string(schema::kIdPrefix) + a.id);
    if (!a.lang.empty()) {
        doc.add_boolean_term(std::string(schema::kLangPrefix) + a.lang);
        doc.add_value(schema::kSlotLang, a.lang);
    }
    for (const auto& tag : a.tags) {
        doc.add_boolean_term(std::string(schema::kTagPrefix) + filter_value(tag));
    }
    if (!a.tags.empty()) {
        doc.add_value(schema::kSlotTags, join_multi(a.tags));
    }
    if (!a.authors.empty()) {
        doc.add_value(schema::kSlotAuthors, join_multi(a.authors));
    }
    if (a.date.size() == 10) {
        const std::string compact = a.date.substr(0, 4) + a.date.substr(5, 2) + a.date.substr(8, 2);
        doc.add_boolean_term(std::string(schema::kDatePrefix) + compact);
        doc.add_boolean_term(std::string(schema::kMonthPrefix) + compact.substr(0, 6));
        doc.add_boolean_term(std::string(schema::kYearPrefix) + compact.substr(0, 4));
        doc.add_value(schema::kSlotDate, compact);
        doc.add_value(schema::kSlotYear, a.date.substr(0, 4));
        doc.add_value(schema::kSlotMonth, a.date.substr(0, 7));
    }
    return doc;
}

void Analyzer::retopic_document(Xapian::Document& doc, const Article& a) const {
    // Drop old topic terms first: retag must not leave stale topics behind.
    const std::string prefix(schema::kTopicPrefix);
    std::vector<std::string> stale;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        it.skip_to(prefix);
        if (it == doc.termlist_end()) {
            break;
        }
        const std::string term = *it;
        if (term.compare(0, prefix.size(), prefix) != 0) {
            break;
        }
        stale.push_back(term);
    }
    for (const auto& t : stale) {
        doc.remove_term(t);
    }
    std::vector<std::string> ids;
    for (const auto& t : a.topics) {
        doc.add_boolean_term(prefix + filter_value(t.id));
        ids.push_back(t.id);
    }
    // An empty value removes the slot (remove_value would throw when it is absent).
    doc.add_value(schema::kSlotTopics, join_multi(ids));
    // Topics are part of the summary, so both are rewritten with the data (retag too).
    doc.add_value(schema::kSlotHit, encode_hit_summary(a));
    doc.set_data(article_to_json(a));
}

} // namespace gazette
