-- Deliverable 1: a Wireshark dissector for the sensor telemetry protocol, version 1
-- (labs/lab1/sensor_protocol.md). With it, a capture of the sensor scripts shows every
-- field of a READING and a RESPONSE by name, and the filter "sensor" finds them.
--
-- Use it:
--   wireshark -X lua_script:tools/wireshark/sensor_dissector.lua capture.pcap
--   tshark -X lua_script:tools/wireshark/sensor_dissector.lua -r capture.pcap -V -Y sensor
-- or copy it into Wireshark's personal Lua plugins folder (Help > About Wireshark >
-- Folders) to have it always.
--
-- Which packets it decodes: TCP and UDP port 50000 (the sensor servers' default; change it
-- under Edit > Preferences > Protocols > SENSOR), any other TCP or UDP packet that starts
-- like a sensor message (magic "ST", version 1, a known type and a sane length), and any
-- port you pick with Analyze > Decode As... > SENSOR.
--
-- Over TCP a message may be split over segments or share one with the next: the header's
-- length says where each ends, and Wireshark reassembles them (dissect_tcp_pdus).

local sensor = Proto("sensor", "Sensor telemetry protocol")

local HEADER_SIZE = 6
local READING_SIZE = 31
local RESPONSE_SIZE = 24
local MAX_MESSAGE_SIZE = 512
local DEFAULT_PORT = 50000

local message_types = { [1] = "READING", [2] = "RESPONSE" }
local power_sources = { [0] = "MAINS", [1] = "BATTERY", [2] = "SOLAR" }
local statuses = {
  [0] = "OK",
  [1] = "MALFORMED",
  [2] = "BAD_MAGIC",
  [3] = "UNSUPPORTED_VERSION",
  [4] = "TOO_LARGE",
  [5] = "UNKNOWN_TYPE",
  [6] = "INVALID_TEXT",
  [7] = "INVALID_FIELD",
  [8] = "IDLE_TIMEOUT",
}
local commands = { [0] = "NONE", [1] = "SET_INTERVAL" }

local f = {
  magic = ProtoField.string("sensor.magic", "Magic"),
  version = ProtoField.uint8("sensor.version", "Version"),
  type = ProtoField.uint8("sensor.type", "Type", base.DEC, message_types),
  length = ProtoField.uint16("sensor.length", "Length"),
  seq = ProtoField.uint32("sensor.seq", "Sequence number"),
  device = ProtoField.uint16("sensor.device", "Device"),
  timestamp = ProtoField.uint64("sensor.timestamp", "Timestamp (ms since 1970)"),
  temperature = ProtoField.float("sensor.temperature", "Temperature (°C)"),
  humidity = ProtoField.uint16("sensor.humidity", "Humidity (hundredths of a percent)"),
  rssi = ProtoField.int8("sensor.rssi", "RSSI (dBm)"),
  battery = ProtoField.uint8("sensor.battery", "Battery (%)"),
  power = ProtoField.uint8("sensor.power", "Power source", base.DEC, power_sources),
  flags = ProtoField.uint8("sensor.flags", "Flags", base.HEX),
  low_battery = ProtoField.bool("sensor.flags.low_battery", "Low battery", 8, nil, 0x01),
  temperature_alarm = ProtoField.bool("sensor.flags.temperature_alarm", "Temperature alarm", 8, nil, 0x02),
  motion = ProtoField.bool("sensor.flags.motion", "Motion", 8, nil, 0x04),
  tamper = ProtoField.bool("sensor.flags.tamper", "Tamper", 8, nil, 0x08),
  reserved = ProtoField.uint8("sensor.flags.reserved", "Reserved (must be 0)", base.HEX, nil, 0xf0),
  note_length = ProtoField.uint8("sensor.note_length", "Note length"),
  note = ProtoField.string("sensor.note", "Note", base.UNICODE),
  status = ProtoField.uint8("sensor.status", "Status", base.DEC, statuses),
  ack = ProtoField.uint32("sensor.ack", "Acknowledged sequence number"),
  server_time = ProtoField.uint64("sensor.server_time", "Server time (ms since 1970)"),
  command = ProtoField.uint8("sensor.command", "Command", base.DEC, commands),
  argument = ProtoField.uint32("sensor.argument", "Argument"),
}
sensor.fields = {
  f.magic, f.version, f.type, f.length, f.seq, f.device, f.timestamp, f.temperature,
  f.humidity, f.rssi, f.battery, f.power, f.flags, f.low_battery, f.temperature_alarm,
  f.motion, f.tamper, f.reserved, f.note_length, f.note, f.status, f.ack, f.server_time,
  f.command, f.argument,
}

local malformed = ProtoExpert.new("sensor.malformed", "Not a valid sensor message",
  expert.group.MALFORMED, expert.severity.ERROR)
sensor.experts = { malformed }

sensor.prefs.port = Pref.uint("Port", DEFAULT_PORT, "TCP and UDP port of the sensor servers")

-- "2025-01-01 00:00:00.000 UTC" for a count of milliseconds since 1970.
local function utc(ms)
  local seconds = (ms / 1000):tonumber()
  local millis = (ms % 1000):tonumber()
  return os.date("!%Y-%m-%d %H:%M:%S", seconds) .. string.format(".%03d UTC", millis)
end

-- Whether the first bytes of tvb look like a sensor message header.
local function looks_like_header(tvb, offset)
  if tvb:len() - offset < HEADER_SIZE then return false end
  if tvb(offset, 2):string() ~= "ST" or tvb(offset + 2, 1):uint() ~= 1 then return false end
  local kind = tvb(offset + 3, 1):uint()
  local length = tvb(offset + 4, 2):uint()
  return message_types[kind] ~= nil and length >= HEADER_SIZE and length <= MAX_MESSAGE_SIZE
end

local function add_reading(tree, tvb, length)
  tree:add(f.seq, tvb(6, 4))
  tree:add(f.device, tvb(10, 2))
  local timestamp = tvb(12, 8):uint64()
  tree:add(f.timestamp, tvb(12, 8)):append_text(" (" .. utc(timestamp) .. ")")
  tree:add(f.temperature, tvb(20, 4))
  local humidity = tvb(24, 2):uint()
  tree:add(f.humidity, tvb(24, 2)):append_text(string.format(" (%.2f %%)", humidity / 100))
  tree:add(f.rssi, tvb(26, 1))
  tree:add(f.battery, tvb(27, 1))
  tree:add(f.power, tvb(28, 1))
  local flags = tree:add(f.flags, tvb(29, 1))
  flags:add(f.low_battery, tvb(29, 1))
  flags:add(f.temperature_alarm, tvb(29, 1))
  flags:add(f.motion, tvb(29, 1))
  flags:add(f.tamper, tvb(29, 1))
  flags:add(f.reserved, tvb(29, 1))
  local note_length = tvb(30, 1):uint()
  tree:add(f.note_length, tvb(30, 1))
  if note_length > 0 and length >= READING_SIZE + note_length then
    local note = tvb(READING_SIZE, note_length)
    tree:add(f.note, note, note:string(ENC_UTF_8))
  end
  return string.format("READING seq=%d device=%d %.2f °C", tvb(6, 4):uint(), tvb(10, 2):uint(),
    tvb(20, 4):float())
end

local function add_response(tree, tvb)
  local status = tvb(6, 1):uint()
  tree:add(f.status, tvb(6, 1))
  tree:add(f.ack, tvb(7, 4))
  tree:add(f.server_time, tvb(11, 8)):append_text(" (" .. utc(tvb(11, 8):uint64()) .. ")")
  tree:add(f.command, tvb(19, 1))
  tree:add(f.argument, tvb(20, 4))
  return string.format("RESPONSE %s ack=%d", statuses[status] or tostring(status),
    tvb(7, 4):uint())
end

-- Dissects one whole message (tvb holds exactly it); returns the bytes used.
local function dissect_message(tvb, pinfo, root)
  pinfo.cols.protocol = "SENSOR"
  local length = tvb:len()
  local tree = root:add(sensor, tvb(), "Sensor telemetry protocol")
  if length < HEADER_SIZE then
    tree:add_proto_expert_info(malformed, "shorter than the 6-byte header")
    return length
  end
  tree:add(f.magic, tvb(0, 2))
  tree:add(f.version, tvb(2, 1))
  tree:add(f.type, tvb(3, 1))
  tree:add(f.length, tvb(4, 2))
  local kind = tvb(3, 1):uint()
  local summary
  if not looks_like_header(tvb, 0) then
    tree:add_proto_expert_info(malformed, "bad magic, version, type or length")
    summary = "invalid message"
  elseif kind == 1 and length >= READING_SIZE then
    summary = add_reading(tree, tvb, length)
  elseif kind == 2 and length >= RESPONSE_SIZE then
    summary = add_response(tree, tvb)
  else
    tree:add_proto_expert_info(malformed, "too short for its type")
    summary = "truncated message"
  end
  tree:append_text(": " .. summary)
  -- Several messages may share a segment: list them all in the Info column.
  if tostring(pinfo.cols.info):find("SENSOR:", 1, true) then
    pinfo.cols.info:append(" | " .. summary)
  else
    pinfo.cols.info:set("SENSOR: " .. summary)
  end
  return length
end

-- TCP: the header's length field says how long each message is.
local function message_length(tvb, pinfo, offset)
  if not looks_like_header(tvb, offset) then return tvb:len() - offset end
  return tvb(offset + 4, 2):uint()
end

local function dissect_tcp(tvb, pinfo, tree)
  dissect_tcp_pdus(tvb, tree, HEADER_SIZE, message_length, dissect_message)
  return tvb:len()
end

-- Present in a packet that TCP carries (how a dissector tells TCP from UDP).
local tcp_port = Field.new("tcp.srcport")

function sensor.dissector(tvb, pinfo, tree)
  if tcp_port() then return dissect_tcp(tvb, pinfo, tree) end
  return dissect_message(tvb, pinfo, tree) -- UDP: one message per datagram
end

local function heuristic(tvb, pinfo, tree)
  if not looks_like_header(tvb, 0) then return false end
  sensor.dissector(tvb, pinfo, tree)
  return true
end

local registered_port = nil
local function register_port(port)
  if registered_port ~= nil then
    DissectorTable.get("tcp.port"):remove(registered_port, sensor)
    DissectorTable.get("udp.port"):remove(registered_port, sensor)
  end
  DissectorTable.get("tcp.port"):add(port, sensor)
  DissectorTable.get("udp.port"):add(port, sensor)
  registered_port = port
end

function sensor.prefs_changed()
  if sensor.prefs.port ~= registered_port then register_port(sensor.prefs.port) end
end

register_port(DEFAULT_PORT)
sensor:register_heuristic("tcp", heuristic)
sensor:register_heuristic("udp", heuristic)
