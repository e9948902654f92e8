#include "api/ApiImpl.h"

#include "runtime/SignatureRegistry.h"

namespace lucet {

Tag Tag::create(std::string name, std::vector<ValType> params) {
  std::vector<abi::ValTypeCode> codes;
  for (ValType t : params) codes.push_back(abi::ValTypeCode(t));
  abi::FuncTypeDesc type = abi::funcTypeOfCodes(codes, {});
  auto tag = std::make_shared<rt::Tag>(rt::canonicalSignatureId(type), type, "\"" + name + "\"");
  return Tag(
      std::make_shared<const Impl>(Impl{std::move(name), std::move(params), std::move(tag)}));
}

std::optional<Tag> Tag::Impl::wrap(const std::shared_ptr<rt::Tag> &tag, std::string name) {
  std::vector<ValType> params;
  for (const abi::ValTypeDesc &t : tag->type().params) {
    if (t.code != abi::ValTypeCode(ValType::I32) && t.code != abi::ValTypeCode(ValType::I64) &&
        t.code != abi::ValTypeCode(ValType::F32) && t.code != abi::ValTypeCode(ValType::F64))
      return std::nullopt;
    params.push_back(ValType(t.code));
  }
  return Tag(std::make_shared<const Impl>(Impl{std::move(name), std::move(params), tag}));
}

const std::string &Tag::name() const {
  return impl_->name;
}

const std::vector<ValType> &Tag::params() const {
  return impl_->params;
}

bool Tag::operator==(const Tag &other) const {
  return impl_->tag == other.impl_->tag;
}

} // namespace lucet
