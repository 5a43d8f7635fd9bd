#include "searchd/search/facet_columns.hpp"

#include "common/logging.hpp"
#include "common/schema.hpp"
#include "searchd/search/facets.hpp"

#include <chrono>
#include <string_view>
#include <unordered_map>

namespace gazette::searchd {

std::shared_ptr<const FacetColumns> FacetColumns::build(const Xapian::Database& db, std::string generation) {
    auto out = std::make_shared<FacetColumns>();
    out->generation_ = std::move(generation);
    out->revision_ = db.get_revision();
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
    }
    return out;
}

FacetColumnsCache::FacetColumnsCache() : thread_([this] { run(); }) {}

FacetColumnsCache::~FacetColumnsCache() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
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
