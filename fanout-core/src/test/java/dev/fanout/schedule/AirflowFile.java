package dev.fanout.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A generated Airflow DAG file as Python sees it: compiled with {@code python3 -m py_compile}, then read
 * with Python's own parser (ast), so the test checks the DAG's arguments, tasks and {@code >>}
 * dependencies without Airflow installed. Without python3 the test is skipped, except under CI=true.
 */
record AirflowFile(Map<String, Object> dag, List<String> imports, List<Task> tasks, List<List<String>> dependencies) {
  record Task(String var, String operator, String taskId, String bashCommand, String mode, Integer pokeInterval,
      Integer timeout) {}

  private static final String READER = String.join("\n",
      "import ast, json, sys",
      "tree = ast.parse(open(sys.argv[1], encoding='utf-8').read())",
      "out = {'dag': {}, 'imports': [], 'tasks': [], 'dependencies': []}",
      "def value(v):",
      "    try:",
      "        return ast.literal_eval(v)",
      "    except ValueError:",
      "        return ast.unparse(v)",
      "for node in ast.walk(tree):",
      "    if isinstance(node, ast.ImportFrom):",
      "        out['imports'] += [node.module + '.' + a.name for a in node.names]",
      "    elif isinstance(node, ast.With):",
      "        out['dag'] = {k.arg: value(k.value) for k in node.items[0].context_expr.keywords}",
      "    elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):",
      "        kw = {k.arg: value(k.value) for k in node.value.keywords}",
      "        out['tasks'].append({'var': node.targets[0].id, 'operator': node.value.func.id,",
      "            'taskId': kw['task_id'], 'bashCommand': kw['bash_command'], 'mode': kw.get('mode'),",
      "            'pokeInterval': kw.get('poke_interval'), 'timeout': kw.get('timeout')})",
      "    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift):",
      "        out['dependencies'].append([node.left.id, node.right.id])",
      "print(json.dumps(out))",
      "");

  static AirflowFile read(Path file) throws IOException, InterruptedException {
    Result compiled = python("-m", "py_compile", file.toString());
    assertThat(compiled.code()).as("py_compile " + file + ": " + compiled.output()).isZero();
    Path reader = Files.createTempFile("airflow-file", ".py");
    try {
      Files.writeString(reader, READER, StandardCharsets.UTF_8);
      Result parsed = python(reader.toString(), file.toString());
      assertThat(parsed.code()).as(parsed.output()).isZero();
      return new ObjectMapper().readValue(parsed.output(), AirflowFile.class);
    } finally {
      Files.delete(reader);
    }
  }

  Task task(String taskId) {
    return tasks.stream().filter(t -> t.taskId().equals(taskId)).findFirst()
        .orElseThrow(() -> new AssertionError("no task " + taskId + " in " + tasks));
  }

  private record Result(int code, String output) {}

  private static Result python(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("python3"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("python3 is not installed; under CI the Airflow file tests must run.", e);
      }
      System.err.println("SKIPPED: python3 is not installed (" + e.getMessage() + ").");
      Assumptions.abort("python3 is not installed");
      throw e;
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("python3 " + args[0] + " did not finish");
    }
    return new Result(p.exitValue(), output);
  }
}
