package io.flowrecon.worker.cli;

import java.util.List;
import java.util.Map;

/** One sub-command of the flowrecon command line. */
public interface Command {

    /** One line for the usage text. */
    String summary();

    /**
     * @param args the arguments after the command name
     * @param env  the process environment (tests pass their own)
     * @return the process exit code
     */
    int run(List<String> args, Map<String, String> env) throws Exception;
}
