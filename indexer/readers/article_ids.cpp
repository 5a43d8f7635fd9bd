#include "indexer/readers/article_ids.hpp"

#include "common/text.hpp"

#include <fmt/format.h>

namespace gazette::indexer {

std::uint64_t fnv1a_64(std::string_view data) noexcept {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : data) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

std::string content_hash_id(std::string_view content) {
    return fmt::format("h-{:016x}", fnv1a_64(content));
}

std::string id_from_file_stem(const std::filesystem::path& path) {
    const std::string stem = text::sanitize_utf8(path.stem().string());
    std::string out;
    out.reserve(stem.size());
    bool pending_dash = false;
    for (const char c : stem) {
        const auto u = static_cast<unsigned char>(c);
        const bool keep = (u >= 0x80) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!keep) {
            pending_dash = true;
            continue;
        }
        if (pending_dash && !out.empty()) {
            out.push_back('-');
        }
        pending_dash = false;
        out.push_back(c);
    }
    while (!out.empty() && (out.back() == '-' || out.back() == '.')) {
        out.pop_back();
    }
    std::size_t lead = 0;
    while (lead < out.size() && (out[lead] == '-' || out[lead] == '.')) {
        ++lead;
    }
    out.erase(0, lead);
    // U+FFFD from sanitising is not a control character, so the id stays valid.
    return std::string(text::truncate_utf8(out, 200));
}

} // namespace gazette::indexer
