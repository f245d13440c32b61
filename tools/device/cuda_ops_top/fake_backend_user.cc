#include <cstdio>

extern "C" int FakeBackendMeanPool();

int main() {
  const int rc = FakeBackendMeanPool();
  std::printf("fake backend mean pool: %s (%d)\n", rc == 0 ? "ok" : "FAILED", rc);
  return rc;
}
