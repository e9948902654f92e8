#include "wasi/StdioStream.h"

#include <sys/stat.h>
#include <unistd.h>

namespace lucet::wasi {

std::string OutputCapture::contents() const {
  if (!file_) return {};
  struct stat st;
  if (fstat(file_.get(), &st) != 0 || st.st_size <= 0) return {};
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = pread(file_.get(), out.data() + done, out.size() - done, off_t(done));
    if (n <= 0) break;
    done += size_t(n);
  }
  out.resize(done);
  return out;
}

StdioStream StdioStream::hostFd(UniqueFd fd) {
  StdioStream s(Kind::HostFd);
  s.fd_ = std::move(fd);
  return s;
}

StdioStream StdioStream::path(std::string hostPath) {
  StdioStream s(Kind::Path);
  s.text_ = std::move(hostPath);
  return s;
}

StdioStream StdioStream::bytes(std::string data) {
  StdioStream s(Kind::Bytes);
  s.text_ = std::move(data);
  return s;
}

StdioStream StdioStream::capture(std::shared_ptr<OutputCapture> capture) {
  StdioStream s(Kind::Capture);
  s.capture_ = std::move(capture);
  return s;
}

} // namespace lucet::wasi
