using System.Text.Json.Nodes;

namespace HostDaemons.Model.Patching;

/// <summary>
/// A set of field paths, as server-side apply records what each manager owns: a tree whose edges are path elements
/// (<c>f:name</c> a field or map entry, <c>k:{"name":"app"}</c> a list item by its keys, <c>v:"x"</c> a set item,
/// <c>i:0</c> an index) and whose nodes may be members (the path itself is in the set). Serialized as Kubernetes'
/// <c>fieldsV1</c>: <c>{"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{}}}}}</c>.
/// </summary>
public sealed class FieldSet
{
    private readonly SortedDictionary<string, FieldSet> children = new(ElementOrder.Instance);

    /// <summary>Whether the path leading to this node is itself in the set.</summary>
    public bool IsMember { get; private set; }

    /// <summary>Whether the set holds no path.</summary>
    public bool IsEmpty => !IsMember && children.Values.All(c => c.IsEmpty);

    internal IReadOnlyDictionary<string, FieldSet> Children => children;

    /// <summary>Reads a <c>fieldsV1</c> object.</summary>
    public static FieldSet Parse(JsonObject fieldsV1)
    {
        ArgumentNullException.ThrowIfNull(fieldsV1);
        var set = new FieldSet();
        set.Read(fieldsV1, 0);
        return set;
    }

    private void Read(JsonObject node, int depth)
    {
        if (depth > PatchLimits.MaxDepth)
        {
            throw new PatchException(PatchErrorKind.BadRequest, $"fieldsV1 is nested deeper than {PatchLimits.MaxDepth} levels");
        }

        foreach (var (key, value) in node)
        {
            if (key == ".")
            {
                IsMember = true;
                continue;
            }

            if (key.Length < 2 || key[1] != ':' || key[0] is not ('f' or 'k' or 'v' or 'i') || value is not JsonObject child)
            {
                throw new PatchException(PatchErrorKind.BadRequest, $"invalid fieldsV1 path element {Serialization.GoStrings.Quote(key)}");
            }

            var childSet = Child(key);
            if (child.Count == 0)
            {
                childSet.IsMember = true;
            }
            else
            {
                childSet.Read(child, depth + 1);
            }
        }
    }

    /// <summary>The <c>fieldsV1</c> form of the set.</summary>
    public JsonObject ToJson()
    {
        var result = new JsonObject();
        foreach (var (element, child) in children)
        {
            if (child.IsEmpty)
            {
                continue;
            }

            var node = child.ToJson();
            if (child.IsMember && node.Count > 0)
            {
                var withDot = new JsonObject { ["."] = new JsonObject() };
                foreach (var (key, value) in node.ToList())
                {
                    node.Remove(key);
                    withDot[key] = value;
                }

                node = withDot;
            }

            result[element] = node;
        }

        return result;
    }

    /// <summary>Every path in the set, in Kubernetes' order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Paths()
    {
        var paths = new List<IReadOnlyList<string>>();
        Walk(new List<string>(), paths);
        return paths;
    }

    private void Walk(List<string> prefix, List<IReadOnlyList<string>> paths)
    {
        foreach (var (element, child) in children)
        {
            prefix.Add(element);
            if (child.IsMember)
            {
                paths.Add(prefix.ToArray());
            }

            child.Walk(prefix, paths);
            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    public bool Contains(IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var node = this;
        foreach (var element in path)
        {
            if (!node.children.TryGetValue(element, out node))
            {
                return false;
            }
        }

        return node.IsMember;
    }

    public FieldSet Union(FieldSet other) => Combine(this, other, (a, b) => a || b);

    public FieldSet Intersection(FieldSet other) => Combine(this, other, (a, b) => a && b);

    public FieldSet Difference(FieldSet other) => Combine(this, other, (a, b) => a && !b);

    private static FieldSet Combine(FieldSet? left, FieldSet? right, Func<bool, bool, bool> member)
    {
        var result = new FieldSet { IsMember = member(left?.IsMember ?? false, right?.IsMember ?? false) };
        var keys = (left?.children.Keys ?? Enumerable.Empty<string>()).Union(right?.children.Keys ?? Enumerable.Empty<string>());
        foreach (var key in keys)
        {
            var child = Combine(left?.children.GetValueOrDefault(key), right?.children.GetValueOrDefault(key), member);
            if (!child.IsEmpty)
            {
                result.children[key] = child;
            }
        }

        return result;
    }

    internal FieldSet Child(string element)
    {
        if (!children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            children[element] = child;
        }

        return child;
    }

    internal void Insert(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            node = node.Child(element);
        }

        node.IsMember = true;
    }

    /// <summary>A copy without the element (and everything under it) at the top.</summary>
    internal FieldSet WithoutChild(string element)
    {
        var copy = Union(new FieldSet());
        copy.children.Remove(element);
        return copy;
    }

    /// <summary>A copy with only the element (and everything under it) at the top.</summary>
    internal FieldSet OnlyChild(string element)
    {
        var copy = new FieldSet();
        if (children.TryGetValue(element, out var child))
        {
            copy.children[element] = child.Union(new FieldSet());
        }

        return copy;
    }

    /// <summary>A copy without the given top-level paths (Kubernetes strips <c>metadata.name</c> and its like from every manager's set).</summary>
    internal FieldSet Without(IEnumerable<IReadOnlyList<string>> paths)
    {
        var stripped = new FieldSet();
        foreach (var path in paths)
        {
            stripped.Insert(path);
        }

        return Difference(stripped);
    }

    /// <summary>Kubernetes' order of path elements: fields, then keys, then values, then indexes, each by text.</summary>
    private sealed class ElementOrder : IComparer<string>
    {
        public static readonly ElementOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var byKind = Rank(x).CompareTo(Rank(y));
            return byKind != 0 ? byKind : string.CompareOrdinal(x, y);
        }

        private static int Rank(string? element) => element is { Length: > 0 } ? element[0] switch
        {
            'f' => 0,
            'k' => 1,
            'v' => 2,
            _ => 3,
        } : 4;
    }
}
