#pragma once
/// The chunked body of GET /export: an httpd::ChunkSource that asks the engine's workers for
/// one batch of records at a time (never on the I/O thread), formats it and hands it over.
/// Memory stays constant: one batch is in flight, and httpd asks for the next chunk only
/// after the previous one was written to the socket.

#include "httpd/server.hpp"
#include "searchd/api/export_format.hpp"
#include "searchd/search/export.hpp"

#include <atomic>
#include <memory>
#include <vector>

namespace gazette::searchd {
class Engine;
}

namespace gazette::searchd::api {

class ExportStream : public httpd::ChunkSource, public std::enable_shared_from_this<ExportStream> {
public:
    /// `engine` must outlive the stream. `cursor` was opened on a worker.
    ExportStream(Engine& engine, std::unique_ptr<ExportCursor> cursor, ExportFormat format,
                 std::vector<ExportField> fields, std::size_t batch_size = 500);

    void next(std::function<void(std::string chunk, bool last)> deliver) override;
    void cancel() override { cancelled_.store(true); }

private:
    Engine& engine_;
    std::unique_ptr<ExportCursor> cursor_;
    ExportFormat format_;
    std::vector<ExportField> fields_;
    std::size_t batch_size_;
    bool header_sent_ = false;
    std::atomic<bool> cancelled_{false};
};

} // namespace gazette::searchd::api
