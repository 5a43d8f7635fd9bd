#pragma once
/// Stable ids for articles that do not carry one: from a file name, else from a content hash.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace gazette::indexer {

/// 64-bit FNV-1a of `data`. Stable across builds and platforms (unlike std::hash), so the same
/// text always gets the same id and re-sending it replaces the article instead of duplicating it.
std::uint64_t fnv1a_64(std::string_view data) noexcept;

/// "h-" followed by the 16 lower-case hex digits of fnv1a_64(content).
std::string content_hash_id(std::string_view content);

/// An id from a file name stem: ASCII letters, digits, '-', '_' and '.' and non-ASCII UTF-8 are
/// kept, every other run of characters becomes one '-', leading/trailing '-' and '.' are
/// trimmed, and the result is cut to 200 bytes on a UTF-8 boundary. Empty when nothing is left.
std::string id_from_file_stem(const std::filesystem::path& path);

} // namespace gazette::indexer
