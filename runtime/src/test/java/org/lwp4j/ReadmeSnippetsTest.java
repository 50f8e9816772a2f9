package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the repository's README.md compiles against the library and
 * runs, many times over, without an error, a line on stderr, or a hang; the Maven coordinates
 * in its {@code ```xml} block are the runtime module's; every command its {@code ```bash}
 * blocks list under a {@code # bench.sh} or {@code # test.sh} heading is run by that script
 * (see {@link #runs}). So no snippet rots.
 *
 * <p>A java block is the body of a {@code main} method; its leading {@code import} lines are
 * hoisted out of it. Each is compiled in-process (javax.tools) against this test's class path
 * and run {@value #RUNS} times, each run bounded: the README's first example once hung 3 runs
 * in 20 (it treated park's ALREADY as failure), which a single run would rarely catch.
 */
@Timeout(300)
class ReadmeSnippetsTest {
    private static final int RUNS = 40;
    private static final long RUN_MILLIS = LwpTestSupport.WAIT_MILLIS;
    private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w+)\\s*\\n(.*?)^```\\s*$");

    @TempDir
    Path out;

    @Test
    void everyJavaBlockOfTheReadmeCompilesAndRunsWithoutErrorOrHang() throws Exception {
        List<String> blocks = blocks("java");
        assertFalse(blocks.isEmpty(), "README.md has no ```java block");
        for (int i = 0; i < blocks.size(); i++) {
            String name = "ReadmeSnippet" + (i + 1);
            compile(name, wrap(name, blocks.get(i)));
            try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()},
                    getClass().getClassLoader())) {
                Method main = loader.loadClass(name).getMethod("main", String[].class);
                for (int run = 1; run <= RUNS; run++) {
                    runOnce(main, "README java block " + (i + 1) + ", run " + run + " of " + RUNS);
                }
            }
        }
    }

    @Test
    void theReadmeDependencyIsTheRuntimeModule() throws Exception {
        List<String> xml = blocks("xml");
        assertFalse(xml.isEmpty(), "README.md has no ```xml block");
        String pom = Files.readString(Path.of("pom.xml"));
        String artifact = first(pom, "<artifactId>([^<]+)</artifactId>", 2);
        String version = first(pom, "<version>([^<]+)</version>", 1);
        String block = xml.get(0);
        assertEquals("org.lwp4j", first(block, "<groupId>([^<]+)</groupId>", 1), block);
        assertEquals(artifact, first(block, "<artifactId>([^<]+)</artifactId>", 1), block);
        assertEquals(version, first(block, "<version>([^<]+)</version>", 1), block);
    }

    @Test
    void everyScriptStepTheReadmeListsIsALineOfThatScript() throws Exception {
        List<String> bash = blocks("bash");
        assertFalse(bash.isEmpty(), "README.md has no ```bash block");
        int checked = 0;
        for (String block : bash) {
            String script = null;
            for (String line : block.split("\n")) {
                String t = line.strip();
                Matcher m = Pattern.compile("^# (\\w+\\.sh)$").matcher(t);
                if (m.matches()) {
                    script = Files.readString(repoRoot().resolve(m.group(1)));
                } else if (t.isEmpty() || t.startsWith("#")) {
                    script = t.isEmpty() ? script : null;
                } else if (script != null) {
                    String command = t.replaceFirst("\\s+#.*$", "");
                    assertTrue(runs(script, command), "README lists a step its script does not run: " + command);
                    checked++;
                }
            }
        }
        assertTrue(checked > 0, "no README bash block lists the steps of bench.sh or test.sh");
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Whether the script runs {@code command}: it holds the command as it stands, or (for a
     * command the script assembles from variables and option lists) every word of it as a
     * whole word, {@code java} standing for the script's {@code "$JAVA"}.
     */
    private static boolean runs(String script, String command) {
        if (script.contains(command)) {
            return true;
        }
        String text = script.replace("\"$JAVA\"", "java");
        for (String word : command.split("\\s+")) {
            if (!Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(word) + "(?![A-Za-z0-9_.-])").matcher(text).find()) {
                return false;
            }
        }
        return true;
    }

    private static void runOnce(Method main, String what) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                main.invoke(null, (Object) new String[0]);
            } catch (InvocationTargetException e) {
                failed.set(e.getCause());
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "readme-snippet");
        t.setDaemon(true);
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            t.start();
            t.join(RUN_MILLIS);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        if (t.isAlive()) {
            StringBuilder stacks = new StringBuilder();
            Thread.getAllStackTraces().forEach((th, stack) -> {
                if (th == t || th.getName().startsWith("lwp ")) {
                    stacks.append("\n\"").append(th.getName()).append("\" ").append(th.getState());
                    for (StackTraceElement e : stack) {
                        stacks.append("\n\tat ").append(e);
                    }
                }
            });
            fail(what + " did not end within " + RUN_MILLIS + " ms; its threads:" + stacks);
        }
        if (failed.get() != null) {
            throw new AssertionError(what + " threw; it printed: " + stdout, failed.get());
        }
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(err.isEmpty(), what + " wrote to stderr: " + err);
    }

    /** The block as a class whose main method is the block, its import lines hoisted. */
    private static String wrap(String name, String block) {
        StringBuilder imports = new StringBuilder("import org.lwp4j.*;\n");
        StringBuilder body = new StringBuilder();
        for (String line : block.split("\n")) {
            (body.length() == 0 && line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        return imports + "public class " + name + " {\n    public static void main(String[] args) throws Exception {\n"
                + body + "    }\n}\n";
    }

    private void compile(String name, String source) throws IOException {
        Path file = out.resolve(name + ".java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler (run the tests on a JDK)");
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null,
                List.of("-classpath", classPath(), "-d", out.toString(), "-proc:none", "-Xlint:none"),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file.toFile()))
                .call();
        assertTrue(ok, "README java block " + name + " does not compile:\n" + diagnostics + "\nsource:\n" + source);
    }

    /** This JVM's class path, with surefire's manifest-only booter jar expanded. */
    private static String classPath() throws IOException {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(e);
            if (e.endsWith(".jar") && new File(e).isFile()) {
                try (JarFile jar = new JarFile(e)) {
                    Manifest mf = jar.getManifest();
                    String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String u : cp.trim().split("\\s+")) {
                            URI uri = new File(e).toURI().resolve(u);
                            entries.add(Path.of(uri).toString());
                        }
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> blocks(String language) throws IOException {
        String readme = Files.readString(repoRoot().resolve("README.md"));
        List<String> found = new ArrayList<>();
        Matcher m = FENCE.matcher(readme);
        while (m.find()) {
            if (m.group(1).equals(language)) {
                found.add(m.group(2));
            }
        }
        return found;
    }

    /** The repository root: the nearest directory at or above the working one with README.md and test.sh. */
    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isRegularFile(p.resolve("test.sh"))) {
                return p;
            }
        }
        throw new AssertionError("no README.md and test.sh at or above " + Path.of("").toAbsolutePath());
    }

    private static String first(String text, String regex, int nth) {
        Matcher m = Pattern.compile(regex).matcher(text);
        for (int i = 0; i < nth; i++) {
            assertTrue(m.find(), "no match " + nth + " for " + regex);
        }
        return m.group(1);
    }
}
