namespace Parmap; internal static class PlotsPlaceholder { }
