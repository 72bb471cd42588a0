using MessagePack;

using Microsoft.Data.Sqlite;

namespace Parmap.Journaling;

/// <summary>
/// The grid of a journaled grid sweep, kept in the journal (table <c>grid_axes</c>, one row per axis and generation) so
/// that an exported journal has one column per axis. A grid map journals point indices; without this the axes would be
/// known only to the program that ran it.
/// </summary>
/// <remarks>
/// Each axis is stored as its name, its value type and its values (MessagePack). When the value type cannot be loaded
/// where the journal is read, the axis comes back as the values' text.
/// </remarks>
internal static class JournalGrid
{
    public const string Table = """
        CREATE TABLE IF NOT EXISTS grid_axes(gen INTEGER NOT NULL, axis INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
            zipped INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(gen, axis)) WITHOUT ROWID;
        """;

    private const string TextType = "text";

    public static void Write(SqliteConnection connection, SqliteTransaction tx, long gen, Grid grid)
    {
        for (var a = 0; a < grid.Axes.Count; a++)
        {
            var axis = grid.Axes[a];
            var (type, data) = Encode(axis);
            JournalFile.Execute(connection, JournalSql.InsertAxis, tx,
                ("$gen", gen), ("$axis", a), ("$name", axis.Name), ("$type", type), ("$zipped", grid.IsZipped ? 1 : 0), ("$data", data));
        }
    }

    /// <summary>The grid recorded for <paramref name="gen"/>, or null (not a grid sweep, or a journal written before grids were recorded).</summary>
    public static Grid? Read(SqliteConnection connection, long gen)
    {
        if (Convert.ToInt64(JournalFile.Scalar(connection, JournalSql.HasGridTable), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }
        var axes = new List<Axis>();
        var zipped = false;
        using var command = connection.CreateCommand();
        command.CommandText = JournalSql.Axes;
        command.Parameters.AddWithValue("$gen", gen);
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                axes.Add(Decode(r.GetString(0), r.GetString(1), (byte[])r.GetValue(3)));
                zipped = r.GetInt64(2) != 0;
            }
        }
        return axes.Count == 0 ? null : new Grid<GridPoint>([.. axes], zipped, static (g, k) => new GridPoint(g, k));
    }

    private static (string Type, byte[] Data) Encode(Axis axis)
    {
        var values = Array.CreateInstance(axis.ValueType, axis.Count);
        for (var i = 0; i < axis.Count; i++)
        {
            values.SetValue(axis.GetValue(i), i);
        }
        try
        {
            return (axis.ValueType.AssemblyQualifiedName!, MessagePackSerializer.Serialize(values.GetType(), values, JournalCodec.Options));
        }
        catch (MessagePackSerializationException)
        {
            // A value type MessagePack cannot store: keep the values' text.
            var text = new string[axis.Count];
            for (var i = 0; i < text.Length; i++)
            {
                text[i] = Axis.Format(axis.GetValue(i));
            }
            return (TextType, MessagePackSerializer.Serialize(text, JournalCodec.Options));
        }
    }

    private static Axis Decode(string name, string type, byte[] data)
    {
        if (type != TextType && Type.GetType(type, throwOnError: false) is { } valueType)
        {
            try
            {
                var values = (Array)MessagePackSerializer.Deserialize(valueType.MakeArrayType(), data, JournalCodec.Options)!;
                return (Axis)Activator.CreateInstance(typeof(ValuesAxis<>).MakeGenericType(valueType), name, values, "from the journal")!;
            }
            catch (MessagePackSerializationException)
            {
                // Fall back to text below.
            }
        }
        var raw = MessagePackSerializer.Deserialize<object?[]>(data, JournalCodec.Options) ?? [];
        return new ValuesAxis<string>(name, [.. raw.Select(v => v is string s ? s : Axis.Format(v))], "from the journal (as text)");
    }
}
