#include "api/CApiImpl.h"
#include "lucet_wasi.h"

#include <algorithm>
#include <cstring>

using namespace lucet;

struct lucet_wasi_output {
  WasiOutput output;
};

extern "C" {

lucet_wasi_config_t *lucet_wasi_config_new(void) {
  return new lucet_wasi_config{};
}
void lucet_wasi_config_delete(lucet_wasi_config_t *config) {
  delete config;
}

void lucet_wasi_config_set_args(lucet_wasi_config_t *config, size_t argc, const char *const *argv) {
  config->config.args(std::vector<std::string>(argv, argv + argc));
}
void lucet_wasi_config_add_env(lucet_wasi_config_t *config, const char *key, const char *value) {
  config->config.env(key, value);
}
void lucet_wasi_config_inherit_stdio(lucet_wasi_config_t *config) {
  config->config.inheritStdio();
}
void lucet_wasi_config_preopen_dir(lucet_wasi_config_t *config, const char *host_path,
                                   const char *guest_path) {
  config->config.preopenDir(host_path, guest_path);
}

void lucet_wasi_config_preopen_dir_readonly(lucet_wasi_config_t *config, const char *host_path,
                                            const char *guest_path) {
  config->config.preopenDirReadOnly(host_path, guest_path);
}

void lucet_wasi_config_set_stdin_bytes(lucet_wasi_config_t *config, const void *data, size_t len) {
  config->config.stdinBytes(len ? std::string(static_cast<const char *>(data), len) : "");
}
void lucet_wasi_config_set_stdin_file(lucet_wasi_config_t *config, const char *path) {
  config->config.stdinStream(WasiStdio::file(path));
}
void lucet_wasi_config_set_stdout_file(lucet_wasi_config_t *config, const char *path) {
  config->config.stdoutStream(WasiStdio::file(path));
}
void lucet_wasi_config_set_stderr_file(lucet_wasi_config_t *config, const char *path) {
  config->config.stderrStream(WasiStdio::file(path));
}
void lucet_wasi_config_set_stdin_fd(lucet_wasi_config_t *config, int fd) {
  config->config.stdinStream(WasiStdio::fd(fd));
}
void lucet_wasi_config_set_stdout_fd(lucet_wasi_config_t *config, int fd) {
  config->config.stdoutStream(WasiStdio::fd(fd));
}
void lucet_wasi_config_set_stderr_fd(lucet_wasi_config_t *config, int fd) {
  config->config.stderrStream(WasiStdio::fd(fd));
}

lucet_wasi_output_t *lucet_wasi_config_capture_stdout(lucet_wasi_config_t *config) {
  auto *handle = new lucet_wasi_output{};
  config->config.stdoutCapture(handle->output);
  return handle;
}
lucet_wasi_output_t *lucet_wasi_config_capture_stderr(lucet_wasi_config_t *config) {
  auto *handle = new lucet_wasi_output{};
  config->config.stderrCapture(handle->output);
  return handle;
}
size_t lucet_wasi_output_copy(const lucet_wasi_output_t *output, char *buffer, size_t capacity) {
  std::string contents = output->output.contents();
  if (buffer && capacity) std::memcpy(buffer, contents.data(), std::min(capacity, contents.size()));
  return contents.size();
}
void lucet_wasi_output_delete(lucet_wasi_output_t *output) {
  delete output;
}

lucet_error_t *lucet_instance_new_wasi(const lucet_module_t *module, const lucet_linker_t *linker,
                                       const lucet_instance_limits_t *limits,
                                       const lucet_wasi_config_t *config, lucet_instance_t **out) {
  WasiConfig empty;
  return capi::newInstance(module, linker, limits, config ? &config->config : &empty, out);
}

lucet_error_t *lucet_region_instance_new_wasi(const lucet_region_t *region,
                                              const lucet_module_t *module,
                                              const lucet_linker_t *linker,
                                              const lucet_wasi_config_t *config,
                                              lucet_instance_t **out) {
  WasiConfig empty;
  return capi::newInstance(module, linker, nullptr, config ? &config->config : &empty, out, region);
}

} // extern "C"
