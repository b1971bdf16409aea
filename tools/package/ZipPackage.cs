#:property PublishAot=false
// Zips a published Functions app folder for deployment: entries relative to the folder (dot-folders such as
// .azurefunctions included, which some zip tools leave out), the Unix mode of each file kept in the entry.
// Usage: dotnet run ZipPackage.cs -- <folder> <zip>
using System.IO.Compression;

if (args.Length != 2 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: ZipPackage.cs <folder> <zip>");
    return 2;
}

var (folder, zip) = (Path.GetFullPath(args[0]), Path.GetFullPath(args[1]));
var temporary = zip + ".tmp";
using (var archive = ZipFile.Open(temporary, ZipArchiveMode.Create))
{
    foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
    {
        var entry = archive.CreateEntryFromFile(path, Path.GetRelativePath(folder, path).Replace('\\', '/'), CompressionLevel.Optimal);
        // The high 16 bits hold st_mode: a regular file with its permission bits.
        const int RegularFile = 0x8000;
        // Windows has no mode to read: every file gets rwxr-xr-x there.
        var mode = OperatingSystem.IsWindows() ? (UnixFileMode)0b111_101_101 : File.GetUnixFileMode(path);
        entry.ExternalAttributes = (RegularFile | (int)mode) << 16;
    }
}

File.Move(temporary, zip, overwrite: true);
Console.WriteLine(zip);
return 0;
