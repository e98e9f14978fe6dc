using System.Collections.Frozen;

namespace HostDaemons.ControlPlane.KubeApi.Protobuf;

/// <summary>How a field of a Kubernetes protobuf message is written on the wire and in the JSON shape.</summary>
internal enum ProtoType
{
    /// <summary>A string, in JSON a string.</summary>
    String,

    /// <summary>Bytes, in JSON a base64 string (Secret <c>data</c>).</summary>
    Bytes,

    Bool,

    /// <summary>A varint int64, in JSON a number.</summary>
    Int64,

    /// <summary>A varint int32, in JSON a number.</summary>
    Int32,

    /// <summary><c>meta.v1.Time</c> (<c>{seconds, nanos}</c>), in JSON an RFC 3339 string.</summary>
    Time,

    /// <summary>A nested message, in JSON an object.</summary>
    Message,

    /// <summary><c>map&lt;string, string&gt;</c>, in JSON an object of strings.</summary>
    StringMap,

    /// <summary><c>map&lt;string, bytes&gt;</c>, in JSON an object of base64 strings.</summary>
    BytesMap,

    /// <summary><c>intstr.IntOrString</c> (<c>{type, intVal, strVal}</c>), in JSON a number or a string.</summary>
    IntOrString,

    /// <summary>A message holding JSON text in its field 1 (<c>FieldsV1</c>), in JSON that JSON value.</summary>
    RawJson,
}

/// <summary>One field: its number in Kubernetes' <c>generated.proto</c>, its JSON name and type.</summary>
internal sealed record ProtoField(int Number, string Name, ProtoType Type, bool Repeated = false, ProtoMessage? Message = null);

/// <summary>A Kubernetes protobuf message: the fields HostDaemons reads and writes, by number and by JSON name.</summary>
internal sealed class ProtoMessage
{
    public ProtoMessage(string name, params ProtoField[] fields)
    {
        Name = name;
        Fields = fields;
        ByNumber = fields.ToFrozenDictionary(f => f.Number);
        ByName = fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public string Name { get; }

    public IReadOnlyList<ProtoField> Fields { get; }

    public FrozenDictionary<int, ProtoField> ByNumber { get; }

    public FrozenDictionary<string, ProtoField> ByName { get; }
}
