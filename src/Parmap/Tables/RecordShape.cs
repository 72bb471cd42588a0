using System.Linq.Expressions;
using System.Reflection;

namespace Parmap.Tables;

/// <summary>
/// How values of <typeparamref name="T"/> flatten to table columns: a scalar (number, string, ...) is one column named
/// <c>value</c>; a record, class or tuple is one column per public property or field, named after it, in declaration order.
/// Reading back builds <typeparamref name="T"/> through the constructor whose parameters match the columns, or through setters.
/// </summary>
internal sealed class RecordShape<T>
{
    private static RecordShape<T>? s_shape;
    private readonly MemberInfo[] _members;
    private readonly Delegate[] _getters;

    private RecordShape()
    {
        if (CellFormat.Supported.Contains(typeof(T)))
        {
            IsScalar = true;
            Names = ["value"];
            Types = [typeof(T)];
            _members = [];
            _getters = [];
            return;
        }
        var members = typeof(T).GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m is PropertyInfo { CanRead: true } p && p.GetIndexParameters().Length == 0 || m is FieldInfo)
            .OrderBy(m => m.MetadataToken)
            .ToArray();
        if (members.Length == 0)
        {
            throw new NotSupportedException(
                $"Results of type {typeof(T).Name} cannot be written as a table: it is not a scalar ({CellFormat.SupportedList}) and has no public properties or fields.");
        }
        foreach (var m in members)
        {
            var type = TypeOf(m);
            if (!CellFormat.Supported.Contains(type))
            {
                throw new NotSupportedException(
                    $"The {(m is PropertyInfo ? "property" : "field")} '{m.Name}' of {typeof(T).Name} is a {type.Name}, which cannot be a table column; supported types are {CellFormat.SupportedList}. Map the results to a flat record first.");
            }
        }
        _members = members;
        Names = [.. members.Select(m => m.Name)];
        Types = [.. members.Select(TypeOf)];
        _getters = [.. members.Select(Getter)];
    }

    public static RecordShape<T> Instance => s_shape ??= new RecordShape<T>();

    public bool IsScalar { get; }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<Type> Types { get; }

    /// <summary>The columns for a table whose row r holds <c>values(r)</c>.</summary>
    public IEnumerable<TableColumn> Columns(Func<int, T> values)
    {
        if (IsScalar)
        {
            yield return new TableColumn<T>("value", values);
            yield break;
        }
        for (var c = 0; c < _members.Length; c++)
        {
            var column = typeof(RecordShape<T>).GetMethod(nameof(Column), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(Types[c]);
            yield return (TableColumn)column.Invoke(null, [Names[c], _getters[c], values])!;
        }
    }

    /// <summary>Builds a <typeparamref name="T"/> from one value per column (in <see cref="Names"/> order).</summary>
    public Func<object?[], T> Builder()
    {
        if (IsScalar)
        {
            return cells => (T)cells[0]!;
        }
        var ctor = typeof(T).GetConstructors()
            .Where(c => c.GetParameters().Length == _members.Length)
            .FirstOrDefault(c => c.GetParameters().Select(p => p.Name).All(n => Names.Contains(n!, StringComparer.OrdinalIgnoreCase)));
        if (ctor is not null)
        {
            var order = ctor.GetParameters().Select(p => Names.ToList().FindIndex(n => string.Equals(n, p.Name, StringComparison.OrdinalIgnoreCase))).ToArray();
            return cells => (T)ctor.Invoke([.. order.Select(i => cells[i])]);
        }
        var writable = _members.All(m => m is FieldInfo { IsInitOnly: false } || m is PropertyInfo { CanWrite: true });
        if (!writable || (!typeof(T).IsValueType && typeof(T).GetConstructor(Type.EmptyTypes) is null))
        {
            throw new NotSupportedException(
                $"Cannot rebuild {typeof(T).Name} from a table: it needs a constructor taking ({string.Join(", ", Names)}) or a parameterless constructor with settable members.");
        }
        return cells =>
        {
            object target = Activator.CreateInstance<T>()!;
            for (var c = 0; c < _members.Length; c++)
            {
                if (_members[c] is PropertyInfo p)
                {
                    p.SetValue(target, cells[c]);
                }
                else
                {
                    ((FieldInfo)_members[c]).SetValue(target, cells[c]);
                }
            }
            return (T)target;
        };
    }

    private static TableColumn Column<TField>(string name, Func<T, TField> getter, Func<int, T> values) =>
        new TableColumn<TField>(name, row => getter(values(row)));

    private static Type TypeOf(MemberInfo m) => m is PropertyInfo p ? p.PropertyType : ((FieldInfo)m).FieldType;

    private static Delegate Getter(MemberInfo m)
    {
        var item = Expression.Parameter(typeof(T), "item");
        var access = Expression.MakeMemberAccess(item, m);
        return Expression.Lambda(typeof(Func<,>).MakeGenericType(typeof(T), TypeOf(m)), access, item).Compile();
    }
}
