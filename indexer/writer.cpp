#include "indexer/writer.hpp"

#include "common/dates.hpp"
#include "common/schema.hpp"

#include <fmt/format.h>

namespace gazette::indexer {

IndexWriter::IndexWriter(const std::filesystem::path& path, bool create)
    : db_(path.string(), (create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) | Xapian::DB_BACKEND_GLASS) {
    if (db_.get_metadata(std::string(schema::kMetaSchemaVersion)).empty()) {
        db_.set_metadata(std::string(schema::kMetaSchemaVersion), std::to_string(schema::kSchemaVersion));
        db_.set_metadata(std::string(schema::kMetaCreated), dates::now_iso8601());
        db_.commit();
    }
}

IndexWriter::~IndexWriter() {
    if (in_batch_) {
        try {
            db_.cancel_transaction();
        } catch (...) {
            // Destructors must not throw; the uncommitted batch is lost, as intended.
        }
    }
}

void IndexWriter::begin() {
    if (!in_batch_) {
        db_.begin_transaction(true);
        in_batch_ = true;
        pending_ = 0;
    }
}

void IndexWriter::upsert(const std::string& id, const Xapian::Document& doc) {
    begin();
    db_.replace_document(std::string(schema::kIdPrefix) + id, doc);
    ++pending_;
}

void IndexWriter::remove(const std::string& id) {
    begin();
    db_.delete_document(std::string(schema::kIdPrefix) + id);
    ++pending_;
}

void IndexWriter::commit(std::uint64_t archive_seq) {
    begin();
    if (archive_seq > 0) {
        db_.set_metadata(std::string(kMetaArchiveSeq), std::to_string(archive_seq));
    }
    db_.set_metadata(std::string(schema::kMetaLastUpdate), dates::now_iso8601());
    db_.commit_transaction();
    in_batch_ = false;
    pending_ = 0;
}

void IndexWriter::cancel() {
    if (in_batch_) {
        db_.cancel_transaction();
        in_batch_ = false;
        pending_ = 0;
    }
}

std::uint64_t IndexWriter::committed_seq() const {
    const std::string v = db_.get_metadata(std::string(kMetaArchiveSeq));
    return v.empty() ? 0 : std::stoull(v);
}

Xapian::doccount IndexWriter::doc_count() const { return db_.get_doccount(); }

} // namespace gazette::indexer
