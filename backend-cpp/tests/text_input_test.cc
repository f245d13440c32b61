// The backend's own checks of a text input, where they run: Triton already
// refuses a request whose datatype or shape contradicts config.pbtxt, so an
// end-to-end request never reaches these lines. Here a fake request (the
// few TRITONBACKEND_* calls ReadTextInput makes, defined below) hands them
// what Triton would not.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "triton/text_input.h"
#include "triton/triton_backend_api.h"

// The fake: one input per request, in one or several buffers.
struct TRITONSERVER_Error {
  std::string message;
};
struct TRITONBACKEND_Input {
  std::string name;
  TRITONSERVER_DataType datatype = TRITONSERVER_TYPE_BYTES;
  std::vector<int64_t> shape;
  std::vector<std::string> buffers;
  TRITONSERVER_MemoryType memory = TRITONSERVER_MEMORY_CPU;
};
struct TRITONBACKEND_Request {
  TRITONBACKEND_Input input;
  int buffers_read = 0;
};

namespace {
TRITONBACKEND_Request* current = nullptr;
}

extern "C" {
const char* TRITONSERVER_ErrorMessage(TRITONSERVER_Error* error) { return error->message.c_str(); }
void TRITONSERVER_ErrorDelete(TRITONSERVER_Error* error) { delete error; }
TRITONSERVER_Error* TRITONBACKEND_RequestInput(TRITONBACKEND_Request* request, const char* name,
                                               TRITONBACKEND_Input** input) {
  current = request;
  if (request->input.name != name) return new TRITONSERVER_Error{"no input named " + std::string(name)};
  *input = &request->input;
  return nullptr;
}
TRITONSERVER_Error* TRITONBACKEND_InputProperties(TRITONBACKEND_Input* input, const char** name,
                                                  TRITONSERVER_DataType* datatype,
                                                  const int64_t** shape, uint32_t* dims_count,
                                                  uint64_t* byte_size, uint32_t* buffer_count) {
  *name = input->name.c_str();
  *datatype = input->datatype;
  *shape = input->shape.data();
  *dims_count = static_cast<uint32_t>(input->shape.size());
  *byte_size = 0;
  for (const std::string& b : input->buffers) *byte_size += b.size();
  *buffer_count = static_cast<uint32_t>(input->buffers.size());
  return nullptr;
}
TRITONSERVER_Error* TRITONBACKEND_InputBuffer(TRITONBACKEND_Input* input, const uint32_t index,
                                              const void** buffer, uint64_t* buffer_byte_size,
                                              TRITONSERVER_MemoryType* memory_type,
                                              int64_t* memory_type_id) {
  ++current->buffers_read;
  *buffer = input->buffers[index].data();
  *buffer_byte_size = input->buffers[index].size();
  *memory_type = input->memory;
  *memory_type_id = 0;
  return nullptr;
}
}

namespace fasterbert::triton {
namespace {

std::string Serialized(const std::vector<std::string>& strings) {
  std::string out;
  for (const std::string& s : strings) {
    const uint32_t n = static_cast<uint32_t>(s.size());
    char length[4];
    std::memcpy(length, &n, 4);
    out.append(length, 4);
    out += s;
  }
  return out;
}

TRITONBACKEND_Request Request(std::vector<int64_t> shape, std::vector<std::string> strings) {
  TRITONBACKEND_Request request;
  request.input.name = "text";
  request.input.shape = std::move(shape);
  request.input.buffers = {Serialized(strings)};
  return request;
}

TEST(TextInputTest, ReadsRowsFromOneBufferOrSeveral) {
  TRITONBACKEND_Request request = Request({2, 1}, {"hello", "world"});
  TextInput in;
  EXPECT_EQ(ReadTextInput(&request, "text", &in), "");
  EXPECT_EQ(in.rows, (std::vector<std::string_view>{"hello", "world"}));
  // An element split over two buffers.
  const std::string whole = Serialized({"hello", "world"});
  request.input.buffers = {whole.substr(0, 7), whole.substr(7)};
  TextInput split;
  EXPECT_EQ(ReadTextInput(&request, "text", &split), "");
  EXPECT_EQ(split.rows, (std::vector<std::string_view>{"hello", "world"}));
}

TEST(TextInputTest, RefusesWhatTritonsOwnChecksWouldHaveStopped) {
  TRITONBACKEND_Request request = Request({1, 1}, {"hello"});
  request.input.datatype = TRITONSERVER_TYPE_FP32;
  TextInput in;
  EXPECT_EQ(ReadTextInput(&request, "text", &in), "input 'text' must be BYTES (one UTF-8 string per row)");
  request.input.datatype = TRITONSERVER_TYPE_BYTES;
  request.input.shape = {1, 2};
  EXPECT_EQ(ReadTextInput(&request, "text", &in), "input 'text' must have shape [batch, 1]");
  request.input.shape = {1};
  EXPECT_EQ(ReadTextInput(&request, "text", &in), "input 'text' must have shape [batch, 1]");
  request.input.shape = {1, 1};
  request.input.memory = TRITONSERVER_MEMORY_GPU;
  EXPECT_NE(ReadTextInput(&request, "text", &in).find("GPU memory"), std::string::npos);
  EXPECT_NE(ReadTextInput(&request, "missing", &in).find("missing input 'missing'"), std::string::npos);
}

TEST(TextInputTest, AShapeThatPromisesMoreStringsThanTheBufferHoldsIsAnError) {
  TRITONBACKEND_Request request = Request({3, 1}, {"hello", "world"});
  TextInput in;
  EXPECT_NE(ReadTextInput(&request, "text", &in), "");
}

TEST(TextInputTest, ATooLongListIsRefusedFromItsShapeBeforeAnyStringIsRead) {
  // 16 million strings announced; the buffer is never touched.
  TRITONBACKEND_Request request = Request({1, 16000000}, {});
  TextInput in;
  const ListLimit limit{64, "passages", "maxPassages"};
  EXPECT_EQ(ReadTextInput(&request, "text", &in, TextLayout::kListInOneRow, limit),
            "input 'text' holds 16000000 passages, over this model's limit of 64 (maxPassages) per request");
  EXPECT_EQ(request.buffers_read, 0);
  EXPECT_TRUE(in.rows.empty());
  request.input.shape = {2, 3};
  EXPECT_EQ(ReadTextInput(&request, "text", &in, TextLayout::kListInOneRow, limit),
            "input 'text' must have shape [1, n]: one request holds one list");
}

}  // namespace
}  // namespace fasterbert::triton
