-- Task 2.3: a Wireshark dissector for the JSON-header application protocol
-- (lib/app_message.ts): a 2-byte big-endian header length, a UTF-8 JSON header with
-- byteorder, content-type, content-encoding and content-length, then the content.
-- With it, a capture of app_server.ts and app_client.ts (or of Real Python's
-- libserver/libclient) shows each stage by name, and the filter "appmsg" finds them.
--
-- Use it:
--   wireshark -X lua_script:tools/wireshark/app_protocol_dissector.lua capture.pcap
--   tshark -X lua_script:tools/wireshark/app_protocol_dissector.lua -r capture.pcap -V -Y appmsg
-- or copy it into Wireshark's personal Lua plugins folder (Help > About Wireshark >
-- Folders) to have it always.
--
-- Which packets it decodes: TCP port 65432 (app_server.ts's default; change it under
-- Edit > Preferences > Protocols > APPMSG), any other TCP stream that starts like one of
-- these messages (a plausible length, then "{"), and any port you pick with
-- Analyze > Decode As... > APPMSG.
--
-- TCP may split a message over segments, or put several in one. The dissector reads the
-- stages in order and asks TCP for more bytes whenever a stage is incomplete: first the
-- 2 bytes, then the JSON header they announce, then the content the header announces.

local appmsg = Proto("appmsg", "JSON-header application protocol")

local FIXED_HEADER_SIZE = 2
local MIN_JSON_HEADER = 20 -- {"content-length":0} and the other three fields make more
local DEFAULT_PORT = 65432

local f = {
  header_length = ProtoField.uint16("appmsg.header_length", "JSON header length"),
  json_header = ProtoField.string("appmsg.json_header", "JSON header", base.UNICODE),
  byteorder = ProtoField.string("appmsg.byteorder", "Byte order"),
  content_type = ProtoField.string("appmsg.content_type", "Content type"),
  content_encoding = ProtoField.string("appmsg.content_encoding", "Content encoding"),
  content_length = ProtoField.uint32("appmsg.content_length", "Content length"),
  content = ProtoField.bytes("appmsg.content", "Content"),
  text = ProtoField.string("appmsg.text", "Content as text", base.UNICODE),
}
appmsg.fields = {
  f.header_length, f.json_header, f.byteorder, f.content_type, f.content_encoding,
  f.content_length, f.content, f.text,
}

local malformed = ProtoExpert.new("appmsg.malformed", "Malformed JSON header",
  expert.group.MALFORMED, expert.severity.ERROR)
appmsg.experts = { malformed }

appmsg.prefs.port = Pref.uint("Port", DEFAULT_PORT, "TCP port of the application server")

local json = Dissector.get("json")

-- Adds Wireshark's own JSON tree under item, keeping our protocol and Info columns.
local function add_json_tree(range, pinfo, item)
  if not json then return end
  local protocol, info = tostring(pinfo.cols.protocol), tostring(pinfo.cols.info)
  json:call(range:tvb(), pinfo, item)
  pinfo.cols.protocol:set(protocol)
  pinfo.cols.info:set(info)
end

-- A string field of a flat JSON object ("content-type": "text/json"), or nil.
local function string_field(text, name)
  return text:match('"' .. name:gsub("%-", "%%-") .. '"%s*:%s*"([^"]*)"')
end

-- A whole-number field of a flat JSON object ("content-length": 42), or nil.
local function number_field(text, name)
  local digits = text:match('"' .. name:gsub("%-", "%%-") .. '"%s*:%s*(%d+)%s*[,}]')
  return digits and tonumber(digits)
end

-- Whether the bytes at offset look like the start of a message.
local function looks_like_message(tvb, offset)
  if tvb:len() - offset < FIXED_HEADER_SIZE + 1 then return false end
  local length = tvb(offset, 2):uint()
  return length >= MIN_JSON_HEADER and tvb(offset + 2, 1):uint() == 0x7b -- "{"
end

-- Adds one whole message (tvb(offset, total)) to the tree; returns a one-line summary.
local function add_message(tvb, pinfo, root, offset, header_length, header_text, content_length)
  local total = FIXED_HEADER_SIZE + header_length + content_length
  local tree = root:add(appmsg, tvb(offset, total))
  tree:add(f.header_length, tvb(offset, 2))
  local header_range = tvb(offset + 2, header_length)
  local header_tree = tree:add(f.json_header, header_range, header_text)
  local content_type = string_field(header_text, "content-type") or "?"
  local encoding = string_field(header_text, "content-encoding") or "?"
  header_tree:add(f.byteorder, header_range, string_field(header_text, "byteorder") or "?")
  header_tree:add(f.content_type, header_range, content_type)
  header_tree:add(f.content_encoding, header_range, encoding)
  header_tree:add(f.content_length, header_range, content_length)
  add_json_tree(header_range, pinfo, header_tree)
  local summary = string.format("%s, %d bytes", content_type, content_length)
  if content_length > 0 then
    local content = tvb(offset + 2 + header_length, content_length)
    local item = tree:add(f.content, content)
    if content_type == "text/json" then
      local text = content:string(ENC_UTF_8)
      item:add(f.text, content, text)
      add_json_tree(content, pinfo, item)
      summary = summary .. ": " .. text
    end
  end
  tree:append_text(": " .. summary)
  return summary
end

local function set_info(pinfo, summary)
  -- Several messages may share a segment: list them all in the Info column.
  if tostring(pinfo.cols.info):find("APPMSG:", 1, true) then
    pinfo.cols.info:append(" | " .. summary)
  else
    pinfo.cols.info:set("APPMSG: " .. summary)
  end
end

-- Dissects every whole message in tvb; asks TCP for more bytes when one is incomplete.
function appmsg.dissector(tvb, pinfo, root)
  local offset = 0
  local available = tvb:len()
  if not looks_like_message(tvb, 0) and available >= FIXED_HEADER_SIZE + 1 then return 0 end
  pinfo.cols.protocol = "APPMSG"
  while offset < available do
    local left = available - offset
    -- Stage 1: the fixed header.
    if left < FIXED_HEADER_SIZE then
      pinfo.desegment_offset = offset
      pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
      return available
    end
    local header_length = tvb(offset, 2):uint()
    -- Stage 2: the JSON header.
    if left < FIXED_HEADER_SIZE + header_length then
      pinfo.desegment_offset = offset
      pinfo.desegment_len = FIXED_HEADER_SIZE + header_length - left
      return available
    end
    local header_text = tvb(offset + 2, header_length):string(ENC_UTF_8)
    local content_length = number_field(header_text, "content-length")
    if content_length == nil or header_text:sub(1, 1) ~= "{" then
      local tree = root:add(appmsg, tvb(offset, FIXED_HEADER_SIZE + header_length))
      tree:add(f.header_length, tvb(offset, 2))
      tree:add(f.json_header, tvb(offset + 2, header_length), header_text)
      tree:add_proto_expert_info(malformed, "no JSON object with a whole-number content-length")
      set_info(pinfo, "malformed JSON header")
      return available -- where the next message starts is unknown
    end
    -- Stage 3: the content.
    local total = FIXED_HEADER_SIZE + header_length + content_length
    if left < total then
      pinfo.desegment_offset = offset
      pinfo.desegment_len = total - left
      return available
    end
    set_info(pinfo, add_message(tvb, pinfo, root, offset, header_length, header_text,
      content_length))
    offset = offset + total
  end
  return available
end

local function heuristic(tvb, pinfo, tree)
  if not looks_like_message(tvb, 0) then return false end
  pinfo.conversation = appmsg -- the rest of this connection too, pieces of messages included
  appmsg.dissector(tvb, pinfo, tree)
  return true
end

local registered_port = nil
local function register_port(port)
  local table = DissectorTable.get("tcp.port")
  if registered_port ~= nil then table:remove(registered_port, appmsg) end
  table:add(port, appmsg)
  registered_port = port
end

function appmsg.prefs_changed()
  if appmsg.prefs.port ~= registered_port then register_port(appmsg.prefs.port) end
end

register_port(DEFAULT_PORT)
appmsg:register_heuristic("tcp", heuristic)
