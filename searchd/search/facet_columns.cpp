#include "searchd/search/facet_columns.hpp"
#include "searchd/search/shard_set.hpp"

#include "common/logging.hpp"
#include "common/schema.hpp"
#include "searchd/search/facets.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <string_view>
#include <unordered_map>

namespace gazette::searchd {

std::uint32_t eight_digits(std::string_view s) noexcept {
    if (s.size() != 8) {
        return 0;
    }
    std::uint32_t n = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return 0;
        }
        n = n * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return n; // "00000000" gives 0 too: callers treat it as unusable
}

std::shared_ptr<const FacetColumns> FacetColumns::build(const Xapian::Database& db, std::string generation) {
    auto out = std::make_shared<FacetColumns>();
    out->generation_ = std::move(generation);
    out->revision_ = database_revision(db);
    const Xapian::docid last = db.get_lastdocid();
    for (const FacetField field : {FacetField::topic, FacetField::source, FacetField::author, FacetField::lang,
                                   FacetField::tag, FacetField::year, FacetField::month}) {
        Column& c = out->columns_[static_cast<std::size_t>(field)];
        c.offsets.assign(static_cast<std::size_t>(last) + 2, 0);
        std::unordered_map<std::string, std::uint32_t> dictionary;
        auto code_of = [&](std::string_view v) {
            auto [it, inserted] = dictionary.try_emplace(std::string(v), static_cast<std::uint32_t>(c.values.size()));
            if (inserted) {
                c.values.emplace_back(v);
            }
            return it->second;
        };
        const bool multi = facet_multi_valued(field);
        Xapian::docid filled = 0; // offsets[0..filled] are final
        for (auto it = db.valuestream_begin(facet_slot(field)); it != db.valuestream_end(facet_slot(field));
             ++it) {
            const Xapian::docid did = it.get_docid();
            const auto here = static_cast<std::uint32_t>(c.codes.size());
            while (filled < did) {
                c.offsets[++filled] = here; // documents without a value: empty rows
            }
            const std::string value = *it;
            if (!multi) {
                c.codes.push_back(code_of(value));
            } else {
                std::size_t start = 0;
                while (start <= value.size()) {
                    std::size_t sep = value.find(schema::kMultiSep, start);
                    if (sep == std::string::npos) {
                        sep = value.size();
                    }
                    if (sep > start) {
                        c.codes.push_back(code_of(std::string_view(value).substr(start, sep - start)));
                    }
                    start = sep + 1;
                }
            }
        }
        const auto end = static_cast<std::uint32_t>(c.codes.size());
        while (filled + 1 < c.offsets.size()) {
            c.offsets[++filled] = end;
        }
        if (c.values.size() <= kBitmapValues) {
            const std::size_t words = static_cast<std::size_t>(last) / 64 + 1;
            c.bitmaps.assign(c.values.size(), std::vector<std::uint64_t>(words, 0));
            bool repeated = false;
            for (std::size_t d = 0; d + 1 < c.offsets.size() && !repeated; ++d) {
                for (std::uint32_t k = c.offsets[d]; k < c.offsets[d + 1]; ++k) {
                    std::uint64_t& word = c.bitmaps[c.codes[k]][d >> 6];
                    const std::uint64_t bit = std::uint64_t{1} << (d & 63);
                    repeated = repeated || (word & bit) != 0;
                    word |= bit;
                }
            }
            if (repeated) {
                // A document lists a value twice ("a|a"): rows and document values count it
                // twice, a bitmap once. Keep one answer: rows only for this field.
                c.bitmaps.clear();
            }
        }
        if (!multi) {
            c.dense.assign(c.offsets.size() - 1, 0);
            for (std::size_t d = 0; d + 1 < c.offsets.size(); ++d) {
                if (c.offsets[d + 1] > c.offsets[d]) {
                    c.dense[d] = c.codes[c.offsets[d]] + 1;
                }
            }
        }
    }
    out->dates_.assign(static_cast<std::size_t>(last) + 1, 0);
    for (auto it = db.valuestream_begin(schema::kSlotDate); it != db.valuestream_end(schema::kSlotDate); ++it) {
        const std::uint32_t date = eight_digits(*it);
        if (date == 0) {
            out->dates_.clear();
            break;
        }
        out->dates_[it.get_docid()] = date;
    }
    return out;
}

namespace {

/// Sum of popcount(a[i] & b[i]). Cloned for POPCNT (every x86-64 CPU since 2008; the build
/// targets the baseline ISA, where std::popcount is a bit-twiddling routine). Not under
/// ThreadSanitizer: its ifunc resolver runs before TSan is initialised and crashes the program.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("popcnt", "default")))
#endif
std::uint64_t and_count(const std::uint64_t* a, const std::uint64_t* b, std::size_t n) noexcept {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        total += static_cast<std::uint64_t>(std::popcount(a[i] & b[i]));
    }
    return total;
}

/// Calls `fn(d)` for every set bit d < `docs` of the first `nwords` words, in order.
template <typename Fn>
inline void for_each_set_bit(const std::uint64_t* words, std::size_t nwords, std::size_t docs, Fn&& fn) {
    for (std::size_t i = 0; i < nwords; ++i) {
        std::uint64_t w = words[i];
        while (w != 0) {
            const std::size_t d = i * 64 + static_cast<unsigned>(std::countr_zero(w));
            w &= w - 1;
            if (d < docs) {
                fn(d);
            }
        }
    }
}

} // namespace

void FacetColumns::count(FacetField field, const DocSet& set, std::span<std::uint64_t> counts) const {
    const Column& c = columns_[static_cast<std::size_t>(field)];
    const std::vector<std::uint64_t>& words = set.words();
    // Docids the columns do not cover have no values (the set and the columns come from the
    // same revision, so this only guards against misuse).
    const std::size_t docs = c.offsets.empty() ? 0 : c.offsets.size() - 1;
    const std::size_t nwords = std::min(words.size(), (docs + 63) / 64);
    // Per-value bitmaps cost values x words (about one cycle per word); rows cost about 15
    // cycles per matching document (dependent loads, a mispredicted branch per document).
    if (!c.bitmaps.empty() && c.bitmaps.size() * nwords <= 16 * set.count()) {
        for (std::size_t code = 0; code < c.bitmaps.size() && code < counts.size(); ++code) {
            counts[code] += and_count(words.data(), c.bitmaps[code].data(), std::min(nwords, c.bitmaps[code].size()));
        }
        return;
    }
    if (!c.dense.empty()) {
        // Four sub-histograms: documents are indexed roughly in date order, so long runs share
        // a year or source, and a single counter would make every increment wait for the last.
        const std::size_t width = c.values.size() + 1;
        // 64-bit lanes: a type the uint32 column loads cannot alias, so the compiler keeps them
        // in flight across the increments.
        std::vector<std::uint64_t> sub(4 * width, 0);
        const std::uint32_t* dense = c.dense.data();
        std::size_t lane = 0;
        for_each_set_bit(words.data(), nwords, docs, [&](std::size_t d) {
            ++sub[lane + dense[d]];
            lane = lane + width == 4 * width ? 0 : lane + width;
        });
        for (std::size_t code = 0; code < c.values.size() && code < counts.size(); ++code) {
            counts[code] += sub[code + 1] + sub[width + code + 1] +
                            sub[2 * width + code + 1] + sub[3 * width + code + 1];
        }
        return;
    }
    // Multi-valued: the same lanes, rotated per document (a topic like "politics" is on a
    // large share of the documents, so one counter would again serialise the increments).
    const std::size_t width = c.values.size();
    std::vector<std::uint64_t> sub(4 * width, 0);
    const std::uint32_t* offsets = c.offsets.data();
    const std::uint32_t* codes = c.codes.data();
    std::size_t lane = 0;
    for_each_set_bit(words.data(), nwords, docs, [&](std::size_t d) {
        std::uint64_t* lane_counts = sub.data() + lane;
        const std::uint32_t end = offsets[d + 1];
        for (std::uint32_t k = offsets[d]; k < end; ++k) {
            ++lane_counts[codes[k]];
        }
        lane = lane + width == 4 * width ? 0 : lane + width;
    });
    for (std::size_t code = 0; code < width && code < counts.size(); ++code) {
        counts[code] += sub[code] + sub[width + code] + sub[2 * width + code] +
                        sub[3 * width + code];
    }
}

FacetColumnsCache::FacetColumnsCache() : thread_([this] { run(); }) {}

FacetColumnsCache::~FacetColumnsCache() { stop(); }

void FacetColumnsCache::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

std::shared_ptr<const FacetColumns> FacetColumnsCache::get(const std::string& generation, Xapian::rev revision,
                                                           const std::filesystem::path& path) {
    std::lock_guard lock(mutex_);
    if (current_ && current_->generation() == generation && current_->revision() == revision) {
        return current_;
    }
    if (!pending_) {
        pending_ = true;
        wanted_generation_ = generation;
        wanted_path_ = path;
        wake_.notify_all();
    }
    return nullptr;
}

std::uint64_t FacetColumnsCache::builds() const {
    std::lock_guard lock(mutex_);
    return builds_;
}

void FacetColumnsCache::run() {
    while (true) {
        std::string generation;
        std::filesystem::path path;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || pending_; });
            if (stop_) {
                return;
            }
            generation = wanted_generation_;
            path = wanted_path_;
        }
        std::shared_ptr<const FacetColumns> built;
        try {
            // A Database of this thread's own: Xapian handles are never shared between threads.
            Xapian::Database db(path.string());
            const auto t0 = std::chrono::steady_clock::now();
            built = FacetColumns::build(db, generation);
            logger("search")->debug(
                "facet columns for {} rev {} built in {:.1f} ms", generation, built->revision(),
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        } catch (const Xapian::Error& e) {
            logger("search")->warn("facet columns for {}: {}", generation, e.get_description());
        }
        std::lock_guard lock(mutex_);
        if (built) {
            current_ = std::move(built);
            ++builds_;
        }
        pending_ = false;
    }
}

} // namespace gazette::searchd
