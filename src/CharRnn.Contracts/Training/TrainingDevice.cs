using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>Where a run trains: what a <see cref="DeviceChoice"/> became on the machine that trains it (<see cref="RunDto.Device"/>).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<TrainingDevice>))]
public enum TrainingDevice { Cpu, Cuda }
