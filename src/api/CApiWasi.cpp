#include "api/CApiImpl.h"
#include "lucet_wasi.h"

using namespace lucet;

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

lucet_error_t *lucet_instance_new_wasi(const lucet_module_t *module, const lucet_linker_t *linker,
                                       const lucet_instance_limits_t *limits,
                                       const lucet_wasi_config_t *config, lucet_instance_t **out) {
  WasiConfig empty;
  return capi::newInstance(module, linker, limits, config ? &config->config : &empty, out);
}

} // extern "C"
