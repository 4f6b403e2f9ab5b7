from llct_sched.cli import main

main()
