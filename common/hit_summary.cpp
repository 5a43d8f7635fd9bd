#include "common/hit_summary.hpp"

#include <cstdint>

namespace gazette {
namespace {

constexpr char kVersion = 1;

void put_length(std::string& out, std::size_t n) {
    while (n >= 0x80) {
        out.push_back(static_cast<char>((n & 0x7f) | 0x80));
        n >>= 7;
    }
    out.push_back(static_cast<char>(n));
}

void put_string(std::string& out, std::string_view s) {
    put_length(out, s.size());
    out.append(s);
}

/// Reads fields back, refusing anything that runs past the end of the value.
class Reader {
public:
    explicit Reader(std::string_view in) : in_(in) {}

    bool length(std::size_t& n) {
        n = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos_ >= in_.size()) {
                return false;
            }
            const auto byte = static_cast<unsigned char>(in_[pos_++]);
            n |= static_cast<std::size_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0) {
                return true;
            }
        }
        return false;
    }

    bool string(std::string& out) {
        std::size_t n = 0;
        if (!length(n) || n > in_.size() - pos_) {
            return false;
        }
        out.assign(in_.substr(pos_, n));
        pos_ += n;
        return true;
    }

    bool list(std::vector<std::string>& out) {
        std::size_t n = 0;
        // Every entry takes at least one byte: a count above what is left is damage.
        if (!length(n) || n > in_.size() - pos_) {
            return false;
        }
        out.resize(n);
        for (auto& s : out) {
            if (!string(s)) {
                return false;
            }
        }
        return true;
    }

    bool at_end() const { return pos_ == in_.size(); }

private:
    std::string_view in_;
    std::size_t pos_ = 1; // after the version byte
};

} // namespace

std::string encode_hit_summary(const Article& a) {
    std::string out;
    out.reserve(32 + a.id.size() + a.title.size() + a.url.size() + a.source.size());
    out.push_back(kVersion);
    put_string(out, a.id);
    put_string(out, a.title);
    put_string(out, a.url);
    put_string(out, a.source);
    put_string(out, a.date);
    put_string(out, a.lang);
    put_length(out, a.authors.size());
    for (const auto& author : a.authors) {
        put_string(out, author);
    }
    put_length(out, a.topics.size());
    for (const auto& t : a.topics) {
        put_string(out, t.id);
    }
    return out;
}

std::optional<HitSummary> decode_hit_summary(std::string_view value) {
    if (value.empty() || value[0] != kVersion) {
        return std::nullopt;
    }
    Reader r(value);
    HitSummary h;
    if (r.string(h.id) && r.string(h.title) && r.string(h.url) && r.string(h.source) &&
        r.string(h.date) && r.string(h.lang) && r.list(h.authors) && r.list(h.topics) && r.at_end()) {
        return h;
    }
    return std::nullopt;
}

} // namespace gazette
