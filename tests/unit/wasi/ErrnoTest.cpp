#include "wasi/WasiErrno.h"

#include <cerrno>
#include <gtest/gtest.h>

using namespace lucet::wasi;

TEST(WasiErrno, ValuesMatchWitx) {
  EXPECT_EQ(static_cast<int>(Errno::Success), 0);
  EXPECT_EQ(static_cast<int>(Errno::BadF), 8);
  EXPECT_EQ(static_cast<int>(Errno::Fault), 21);
  EXPECT_EQ(static_cast<int>(Errno::Inval), 28);
  EXPECT_EQ(static_cast<int>(Errno::NoEnt), 44);
  EXPECT_EQ(static_cast<int>(Errno::NoSys), 52);
  EXPECT_EQ(static_cast<int>(Errno::NotDir), 54);
  EXPECT_EQ(static_cast<int>(Errno::NotCapable), 76);
}

TEST(WasiErrno, HostValuesMapOneByOne) {
  EXPECT_EQ(errnoFromHost(0), Errno::Success);
  EXPECT_EQ(errnoFromHost(ENOENT), Errno::NoEnt);
  EXPECT_EQ(errnoFromHost(EACCES), Errno::Acces);
  EXPECT_EQ(errnoFromHost(EPERM), Errno::Perm);
  EXPECT_EQ(errnoFromHost(EEXIST), Errno::Exist);
  EXPECT_EQ(errnoFromHost(ELOOP), Errno::Loop);
  EXPECT_EQ(errnoFromHost(ENOTEMPTY), Errno::NotEmpty);
  EXPECT_EQ(errnoFromHost(ESPIPE), Errno::SPipe);
  EXPECT_EQ(errnoFromHost(EXDEV), Errno::XDev);
  EXPECT_EQ(errnoFromHost(EWOULDBLOCK), Errno::Again);
  EXPECT_EQ(errnoFromHost(EOPNOTSUPP), Errno::NotSup);
  EXPECT_EQ(errnoFromHost(ETXTBSY), Errno::TxtBsy);
}

TEST(WasiErrno, UnknownHostValueIsIo) {
  EXPECT_EQ(errnoFromHost(EKEYEXPIRED), Errno::Io);
  EXPECT_EQ(errnoFromHost(123456), Errno::Io);
}

TEST(WasiErrno, Names) {
  EXPECT_EQ(errnoName(Errno::NotCapable), "NotCapable");
  EXPECT_EQ(errnoDescription(Errno::NoEnt), "no such file or directory");
}
