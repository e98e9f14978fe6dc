using Google.Protobuf.Reflection;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Model.Patching;

/// <summary>
/// What a patch knows about the value at one place of an object: a message (Kubernetes' struct) whose fields carry
/// patch metadata, a map whose values all have one schema, or a scalar. Lookups fail with Kubernetes' messages.
/// </summary>
internal sealed class PatchSchema
{
    private readonly MessageDescriptor? message;
    private readonly PatchSchema? mapValues;
    private readonly string goKind;
    private readonly Func<FieldDescriptor, FieldPatchMeta?> strategies;

    private PatchSchema(MessageDescriptor? message, PatchSchema? mapValues, string goKind, Func<FieldDescriptor, FieldPatchMeta?> strategies)
    {
        this.message = message;
        this.mapValues = mapValues;
        this.goKind = goKind;
        this.strategies = strategies;
    }

    /// <summary>Whether the value is a message (Kubernetes' struct): its keys are fields.</summary>
    public bool IsStruct => message is not null;

    /// <summary>Whether server-side apply owns the value whole (a <c>+structType=atomic</c> message).</summary>
    public bool IsAtomicStruct => message is not null && PatchStrategies.IsAtomicStruct(message);

    /// <summary>Whether the value is a map (labels, data): its keys are entries, each owned on its own.</summary>
    public bool IsMap => mapValues is not null;

    /// <summary>Go's reflect kind of the value's type, as Kubernetes' messages name it (<c>struct</c>, <c>string</c>, <c>int32</c>).</summary>
    public string GoKind => goKind;

    public static PatchSchema ForMessage(MessageDescriptor descriptor, Func<FieldDescriptor, FieldPatchMeta?> strategies) =>
        IsScalarMessage(descriptor) ? new(null, null, "string", strategies) : new(descriptor, null, "struct", strategies);

    /// <summary>The field of a message by its JSON name, or null.</summary>
    public FieldDescriptor? Field(string jsonName) =>
        message?.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == jsonName);

    /// <summary>Kubernetes' <c>LookupPatchMetadataForStruct</c>/<c>ForSlice</c>: the schema of the field's value (of a list: of its items) and its patch metadata.</summary>
    public (PatchSchema Schema, FieldPatchMeta Meta) Lookup(string jsonName)
    {
        if (mapValues is not null)
        {
            return (mapValues, NoStrategy);
        }

        if (message is null)
        {
            throw new PatchException(PatchErrorKind.InternalError, $"merging an object in json but data type is not map or struct, instead is: {goKind}");
        }

        var field = Field(jsonName)
            ?? throw new PatchException(PatchErrorKind.InternalError, $"unable to find api field in struct {message.Name} for the json field {GoStrings.Quote(jsonName)}");
        return TryLookup(field);
    }

    /// <summary>Like <see cref="Lookup"/>, or null for a field the message does not have.</summary>
    public (PatchSchema Schema, FieldPatchMeta Meta)? TryLookup(string jsonName)
    {
        if (mapValues is not null)
        {
            return (mapValues, NoStrategy);
        }

        return Field(jsonName) is { } field ? TryLookup(field) : null;
    }

    private (PatchSchema Schema, FieldPatchMeta Meta) TryLookup(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            var valueField = field.MessageType.FindFieldByNumber(2);
            return (new PatchSchema(null, ValueSchema(valueField), "map", strategies), NoStrategy);
        }

        var meta = field.IsRepeated ? strategies(field) ?? FieldPatchMeta.Atomic : NoStrategy;
        return (ValueSchema(field), meta);
    }

    private PatchSchema ValueSchema(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Message => ForMessage(field.MessageType, strategies),
        FieldType.String or FieldType.Bytes => new(null, null, "string", strategies),
        FieldType.Bool => new(null, null, "bool", strategies),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => new(null, null, "int32", strategies),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => new(null, null, "int64", strategies),
        _ => new(null, null, field.FieldType.ToString().ToLowerInvariant(), strategies),
    };

    private static readonly FieldPatchMeta NoStrategy = FieldPatchMeta.Atomic;

    /// <summary>Messages whose JSON form is a scalar: int-or-string and times.</summary>
    private static bool IsScalarMessage(MessageDescriptor descriptor) =>
        descriptor.FullName is "hostdaemons.v1.IntOrString" or "google.protobuf.Timestamp";
}
